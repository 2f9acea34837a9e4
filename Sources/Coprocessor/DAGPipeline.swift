import Foundation
import TipbProto

/// A DAG request's executors as one pull pipeline, and its run into a `SelectResponse`.
///
/// The first executor is a table or index scan over the request's pairs; each one after it
/// (selection, projection, aggregation, TopN, limit, in any order TinySQL or a later client
/// sends) takes the rows of the one before. Building checks everything a request can get wrong
/// (`other_error`); running meets only evaluation errors (into `SelectResponse.error`) and
/// locks (thrown, for `locked`).
public struct DAGPipeline {
  private var root: AnyRowExecutor
  private var encoder: ChunkEncoder
  /// Each step's counters, when the request asks for summaries (empty otherwise).
  private let summaries: [AnyRowExecutor.Summary]

  /// The pipeline of `request`, its scan reading the source `source(descending, keyOnly)`
  /// makes: descending for a `desc` scan, key-only when the scan needs no values.
  /// - Throws: `CoprocessorError` for a request this store cannot run as asked: no executors,
  ///   a first executor that is not a scan or a scan later, an executor, expression or function
  ///   it does not support, an output offset past the result's columns, an encoding other than
  ///   the default, RPN expressions.
  public init<Source: KeyValueSource>(
    _ request: Tipb_DAGRequest, source: (_ descending: Bool, _ keyOnly: Bool) -> Source
  ) throws(CoprocessorError) {
    guard request.encodeType == .typeDefault else {
      throw CoprocessorError("encode type \(request.encodeType) is not supported, only the default")
    }
    guard !request.isRpnExpr else { throw CoprocessorError("RPN expressions are not supported") }
    guard let first = request.executors.first else {
      throw CoprocessorError("a DAG request without executors")
    }
    let counting = request.collectExecutionSummaries
    var root: AnyRowExecutor
    var columns: Int
    switch first.tp {
    case .typeTableScan:
      let scan = first.tblScan
      root = AnyRowExecutor(
        TableScan(scan, source: source(scan.desc, !TableScan<Source>.readsValues(scan))),
        counting: counting)
      columns = first.tblScan.columns.count
    case .typeIndexScan:
      let scan = first.idxScan
      root = AnyRowExecutor(
        IndexScan(scan, source: source(scan.desc, !IndexScan<Source>.readsValues(scan))),
        counting: counting)
      columns = first.idxScan.columns.count
    default:
      throw CoprocessorError("a DAG request must start with a table or index scan, not \(first.tp)")
    }
    var summaries = [root.summary].compactMap { $0 }
    for executor in request.executors.dropFirst() {
      switch executor.tp {
      case .typeSelection:
        root = AnyRowExecutor(
          try Selection(executor.selection, input: root, columnCount: columns), counting: counting)
      case .typeProjection:
        let projection = try Projection(executor.projection, input: root, columnCount: columns)
        columns = projection.columnCount
        root = AnyRowExecutor(projection, counting: counting)
      case .typeAggregation, .typeStreamAgg:
        let streamed = executor.tp == .typeStreamAgg
        let pb = streamed && executor.hasStreamAgg ? executor.streamAgg : executor.aggregation
        let aggregation = try Aggregation(pb, input: root, columnCount: columns, streamed: streamed)
        columns = aggregation.columnCount
        root = AnyRowExecutor(aggregation, counting: counting)
      case .typeTopN:
        root = AnyRowExecutor(
          try TopN(executor.topN, input: root, columnCount: columns), counting: counting)
      case .typeLimit:
        root = AnyRowExecutor(Limit(executor.limit, input: root), counting: counting)
      case .typeTableScan, .typeIndexScan:
        throw CoprocessorError("a scan after the first executor")
      }
      if let summary = root.summary { summaries.append(summary) }
    }
    self.root = root
    encoder = try ChunkEncoder(outputOffsets: request.outputOffsets, columnCount: columns)
    self.summaries = summaries
  }

  /// Runs the pipeline to its end.
  /// - Returns: the rows in chunks, or the evaluation error that stopped it in `error` (TiDB's
  ///   MySQL code and message).
  /// - Throws: `CoprocessorError` with `locked` for a lock in the snapshot's way.
  public mutating func run() throws(CoprocessorError) -> Tipb_SelectResponse {
    var response = Tipb_SelectResponse()
    let started = ContinuousClock.now
    do {
      while let row = try root.next() { encoder.append(row) }
      response.chunks = encoder.chunks
    } catch  where error.locked != nil {
      throw error
    } catch {
      var pb = Tipb_Error()
      pb.code = error.code
      pb.msg = error.description
      response.error = pb
    }
    if !summaries.isEmpty {
      let elapsed = ContinuousClock.now - started
      let nanoseconds =
        UInt64(elapsed.components.seconds) * 1_000_000_000
        + UInt64(elapsed.components.attoseconds / 1_000_000_000)
      response.executionSummaries = summaries.map { summary in
        var pb = Tipb_ExecutorExecutionSummary()
        pb.numProducedRows = summary.rowsProduced
        pb.numIterations = summary.calls
        pb.timeProcessedNs = nanoseconds
        return pb
      }
    }
    return response
  }
}
