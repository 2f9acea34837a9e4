import Coprocessor
import Foundation
import Storage
import TestSupport
import TinyKVProto
import TipbProto
import Transaction

/// A standalone store holding `PeopleTable`'s rows, written through the transaction layer
/// (prewrite, then commit), with a coprocessor over it.
final class TableStore: Sendable {
  let directory: TemporaryDirectory
  let storage: StandaloneStorage
  let transactions: TransactionHandler<StandaloneStorage>
  let coprocessor: CoprocessorHandler<StandaloneStorage>

  /// A store with rows `handles`, committed at timestamp 20 (started at 10).
  init(handles: ClosedRange<Int64>) async throws {
    directory = try TemporaryDirectory("coprocessor")
    storage = try StandaloneStorage(path: directory.path)
    transactions = TransactionHandler(storage: storage)
    coprocessor = CoprocessorHandler(storage: storage)
    let pairs = try handles.flatMap { try PeopleTable.pairs($0) }
    try await commit(pairs, startTS: 10, commitTS: 20)
  }

  deinit { storage.close() }

  /// Prewrites `pairs` at `startTS` (the first key primary) and commits them at `commitTS`;
  /// with no `commitTS` they stay locked.
  func commit(
    _ pairs: [(key: [UInt8], value: [UInt8])], startTS: UInt64, commitTS: UInt64?
  ) async throws {
    var prewrite = Kvrpcpb_PrewriteRequest()
    prewrite.mutations = pairs.map { pair in
      var mutation = Kvrpcpb_Mutation()
      mutation.op = .put
      mutation.key = Data(pair.key)
      mutation.value = Data(pair.value)
      return mutation
    }
    prewrite.primaryLock = Data(pairs[0].key)
    prewrite.startVersion = startTS
    prewrite.lockTtl = 3000
    let prewritten = try await transactions.prewrite(prewrite)
    precondition(prewritten.errors.isEmpty, "prewrite failed: \(prewritten.errors)")
    guard let commitTS else { return }
    var commit = Kvrpcpb_CommitRequest()
    commit.keys = pairs.map { Data($0.key) }
    commit.startVersion = startTS
    commit.commitVersion = commitTS
    let committed = try await transactions.commit(commit)
    precondition(!committed.hasError, "commit failed: \(committed.error)")
  }

  /// Sends a DAG request of `executors` over `ranges` at `startTS`.
  func request(
    _ executors: [Tipb_Executor], ranges: [KeyRange], outputOffsets: [UInt32],
    startTS: UInt64 = 100, configure: (inout Tipb_DAGRequest) -> Void = { _ in }
  ) async throws -> Coprocessor_Response {
    var dag = Tipb_DAGRequest()
    dag.executors = executors
    dag.outputOffsets = outputOffsets
    configure(&dag)
    var request = Coprocessor_Request()
    request.tp = 103
    request.data = try dag.serializedData()
    request.startTs = startTS
    request.ranges = ranges.map { range in
      var pb = Coprocessor_KeyRange()
      pb.start = Data(range.start)
      pb.end = Data(range.end)
      return pb
    }
    return try await coprocessor.handle(request)
  }

  /// The rows of a response that must have succeeded, `columns` datums each.
  func rows(_ response: Coprocessor_Response, columns: Int) throws -> [[Datum]] {
    guard response.otherError.isEmpty, !response.hasLocked, !response.hasRegionError else {
      throw CoprocessorError("the request failed: \(response)")
    }
    let select = try Tipb_SelectResponse(serializedBytes: response.data)
    if select.hasError { throw CoprocessorError("the request failed: \(select.error)") }
    return try PB.rows(select, columns: columns)
  }
}
