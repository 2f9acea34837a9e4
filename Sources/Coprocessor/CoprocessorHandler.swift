import Dispatch
import Foundation
import Storage
import SwiftProtobuf
import TinyKVProto
import TipbProto

/// Serves the `Coprocessor` RPC over any `Storage`: TinySQL's push-down requests, answered from
/// one snapshot of the request's region at its `start_ts`.
///
/// - A DAG request (`tp` 103) runs as a `DAGPipeline` over the request's ranges, clipped to the
///   region by the region's reader; the answer's `data` is a `tipb.SelectResponse`.
/// - ANALYZE (`tp` 104) runs `Analyze` over the request's ranges (ascending); the answer's
///   `data` is a `tipb.AnalyzeIndexResp` or `tipb.AnalyzeColumnsResp`. Its samples are drawn
///   with a seed made of the region's id and the timestamp read at, so the same request over
///   the same data answers the same.
///
/// Errors travel as TinySQL expects them: a request it cannot run as asked in `other_error`,
/// an evaluation error in the `SelectResponse`'s `error`, a lock in `locked`, a request for
/// another region or epoch in `region_error` (as for `KvScan`). The storage's own failures are
/// thrown for the RPC layer.
///
/// The pipelines run on their own threads (a concurrent dispatch queue), not on the tasks that
/// serve RPCs: a scan of a whole region is CPU work that must not hold back the others.
public final class CoprocessorHandler<S: Storage>: Sendable {
  /// `Request.tp` of a DAG request.
  public static var dagRequestType: Int64 { 103 }
  /// Decoding a request: deep enough for `Expression.maxDepth` levels inside its executors
  /// (the evaluator refuses deeper ones with a clear error).
  private static var decoding: BinaryDecodingOptions {
    var options = BinaryDecodingOptions()
    options.messageDepthLimit = Expression.maxDepth + 8
    return options
  }

  /// `Request.tp` of an ANALYZE request.
  public static var analyzeRequestType: Int64 { 104 }

  public let storage: S
  private let queue = DispatchQueue(label: "coprocessor", attributes: .concurrent)

  public init(storage: S) { self.storage = storage }

  /// Answers one `Coprocessor` request.
  /// - Throws: the storage's errors other than `RegionError` (an engine failure, a read that
  ///   timed out).
  public func handle(_ request: Coprocessor_Request) async throws -> Coprocessor_Response {
    let ranges: [KeyRange]
    let parsed: ParsedRequest
    do throws(CoprocessorError) {
      ranges = try Self.ranges(of: request)
      switch request.tp {
      case Self.dagRequestType:
        do {
          parsed = .dag(try Tipb_DAGRequest(serializedBytes: request.data, options: Self.decoding))
        } catch {
          throw CoprocessorError("the DAG request does not decode: \(error)")
        }
      case Self.analyzeRequestType:
        do {
          parsed = .analyze(try Tipb_AnalyzeReq(serializedBytes: request.data))
        } catch {
          throw CoprocessorError("the ANALYZE request does not decode: \(error)")
        }
      default:
        throw CoprocessorError(
          "request type \(request.tp) is not supported (103: DAG, 104: ANALYZE)")
      }
    } catch {
      return Self.failure(error)
    }

    let reader: S.Reader
    do {
      reader = try await storage.reader(request.context)
    } catch let error as RegionError {
      var response = Coprocessor_Response()
      response.regionError = error.error
      return response
    }
    let timestamp = request.startTs != 0 ? request.startTs : parsed.startTsFallback
    let seed = request.context.regionID &* 0x9E37_79B9_7F4A_7C15 ^ timestamp
    return await withCheckedContinuation { continuation in
      queue.async {
        let response =
          switch parsed {
          case .dag(let dag): Self.run(dag, ranges: ranges, reader: reader, at: timestamp)
          case .analyze(let analyze):
            Self.run(analyze, ranges: ranges, reader: reader, at: timestamp, seed: seed)
          }
        continuation.resume(returning: response)
      }
    }
  }

  /// A request's `data`, decoded by its `tp`.
  private enum ParsedRequest {
    case dag(Tipb_DAGRequest)
    case analyze(Tipb_AnalyzeReq)

    /// The timestamp to read at when the request's `start_ts` is 0.
    var startTsFallback: UInt64 {
      switch self {
      case .dag(let dag): dag.startTsFallback
      case .analyze(let analyze): analyze.startTsFallback
      }
    }
  }

  /// Runs `dag` over `ranges` of `reader`'s snapshot at `timestamp`.
  static func run(
    _ dag: Tipb_DAGRequest, ranges: [KeyRange], reader: S.Reader, at timestamp: UInt64
  ) -> Coprocessor_Response {
    do {
      var pipeline = try DAGPipeline(dag) { descending, keyOnly in
        SnapshotSource(
          reader, ranges: ranges, at: timestamp, descending: descending, keyOnly: keyOnly)
      }
      var response = Coprocessor_Response()
      response.data = try pipeline.run().serializedData()
      return response
    } catch let error as CoprocessorError {
      return failure(error)
    } catch {
      return failure(CoprocessorError("the response does not encode: \(error)"))
    }
  }

  /// Runs `analyze` over `ranges` of `reader`'s snapshot at `timestamp`, sampling with `seed`.
  static func run(
    _ analyze: Tipb_AnalyzeReq, ranges: [KeyRange], reader: S.Reader, at timestamp: UInt64,
    seed: UInt64
  ) -> Coprocessor_Response {
    var source = SnapshotSource(reader, ranges: ranges, at: timestamp)
    do throws(CoprocessorError) {
      var response = Coprocessor_Response()
      response.data = try Analyze.run(analyze, source: &source, seed: seed)
      return response
    } catch {
      return failure(error)
    }
  }

  /// The request's ranges, checked: at least one, each non-empty, ascending and apart.
  static func ranges(of request: Coprocessor_Request) throws(CoprocessorError) -> [KeyRange] {
    guard !request.ranges.isEmpty else { throw CoprocessorError("a request without ranges") }
    var ranges: [KeyRange] = []
    for pb in request.ranges {
      let range = KeyRange(start: Array(pb.start), end: Array(pb.end))
      guard range.start.lexicographicallyPrecedes(range.end) else {
        throw CoprocessorError("a range whose start is not below its end")
      }
      if let last = ranges.last, range.start.lexicographicallyPrecedes(last.end) {
        throw CoprocessorError("ranges that overlap or are not in ascending order")
      }
      ranges.append(range)
    }
    return ranges
  }

  /// The response for `error`: `locked` for a lock, else `other_error`.
  static func failure(_ error: CoprocessorError) -> Coprocessor_Response {
    var response = Coprocessor_Response()
    if let lock = error.locked {
      response.locked = lock
    } else {
      response.otherError = error.description
    }
    return response
  }
}
