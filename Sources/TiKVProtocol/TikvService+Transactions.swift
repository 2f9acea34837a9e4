import Foundation
import GRPCCore
import KVServer
import TiKVGRPC
import TiKVProto
import TinyKVProto
import Transaction

/// The transactional RPCs the `TransactionHandler` serves: each TiKV request becomes TinyKV's,
/// and the answer comes back in TiKV's response. Request fields asking for what the transaction
/// layer does not do yet (async commit, one-phase commit, pessimistic transactions, reverse
/// scans, commit timestamps of reads) are refused with `UNIMPLEMENTED`; hints it may ignore
/// (priorities, assertions, `txn_size`, `min_commit_ts`) are ignored.
extension TikvService {
  public func kvGet(
    request: TiKVKvrpcpb_GetRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_GetResponse {
    if request.needCommitTs { throw NotServed.notYet("KvGet", "need_commit_ts") }
    return try await transact("KvGet", request.context) { context in
      var tiny = Kvrpcpb_GetRequest()
      tiny.context = context
      tiny.key = request.key
      tiny.version = request.version
      return try await txn.get(tiny)
    } fill: { answer, response in
      if answer.hasError { response.error = TiKVKvrpcpb_KeyError(tinyKV: answer.error) }
      response.value = answer.value
      response.notFound = answer.notFound
    }
  }

  /// `end_key` and `key_only` are applied to the pairs TinyKV's scan returns (it stops at
  /// `limit` pairs from `start_key`, so cutting at `end_key` loses nothing).
  public func kvScan(
    request: TiKVKvrpcpb_ScanRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_ScanResponse {
    if request.reverse { throw NotServed.notYet("KvScan", "reverse scanning") }
    if request.sampleStep != 0 { throw NotServed.notYet("KvScan", "sample_step") }
    return try await transact("KvScan", request.context) { context in
      var tiny = Kvrpcpb_ScanRequest()
      tiny.context = context
      tiny.startKey = request.startKey
      tiny.limit = request.limit
      tiny.version = request.version
      return try await txn.scan(tiny)
    } fill: { answer, response in
      let end = request.endKey
      response.pairs =
        answer.pairs
        .prefix { end.isEmpty || $0.key.lexicographicallyPrecedes(end) }
        .map { tinyPair in
          var pair = TiKVKvrpcpb_KvPair()
          pair.key = tinyPair.key
          if tinyPair.hasError {
            pair.error = TiKVKvrpcpb_KeyError(tinyKV: tinyPair.error)
          } else if !request.keyOnly {
            pair.value = tinyPair.value
          }
          return pair
        }
    }
  }

  public func kvPrewrite(
    request: TiKVKvrpcpb_PrewriteRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_PrewriteResponse {
    if request.useAsyncCommit { throw NotServed.notYet("KvPrewrite", "async commit") }
    if request.tryOnePc { throw NotServed.notYet("KvPrewrite", "one-phase commit") }
    if request.forUpdateTs != 0 || request.pessimisticActions.contains(.doPessimisticCheck) {
      throw NotServed.pessimistic("KvPrewrite")
    }
    let mutations = try request.mutations.map { try $0.tinyKV() }
    return try await transact("KvPrewrite", request.context) { context in
      var tiny = Kvrpcpb_PrewriteRequest()
      tiny.context = context
      tiny.mutations = mutations
      tiny.primaryLock = request.primaryLock
      tiny.startVersion = request.startVersion
      tiny.lockTtl = request.lockTtl
      return try await txn.prewrite(tiny)
    } fill: { answer, response in
      response.errors = answer.errors.map(TiKVKvrpcpb_KeyError.init(tinyKV:))
    }
  }

  public func kvCommit(
    request: TiKVKvrpcpb_CommitRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_CommitResponse {
    if request.useAsyncCommit { throw NotServed.notYet("KvCommit", "async commit") }
    return try await transact("KvCommit", request.context) { context in
      var tiny = Kvrpcpb_CommitRequest()
      tiny.context = context
      tiny.startVersion = request.startVersion
      tiny.keys = request.keys
      tiny.commitVersion = request.commitVersion
      return try await txn.commit(tiny)
    } fill: { answer, response in
      if answer.hasError {
        response.error = TiKVKvrpcpb_KeyError(tinyKV: answer.error)
      } else if !answer.hasRegionError {
        response.commitVersion = request.commitVersion
      }
    }
  }

  public func kvBatchRollback(
    request: TiKVKvrpcpb_BatchRollbackRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_BatchRollbackResponse {
    try await transact("KvBatchRollback", request.context) { context in
      var tiny = Kvrpcpb_BatchRollbackRequest()
      tiny.context = context
      tiny.startVersion = request.startVersion
      tiny.keys = request.keys
      return try await txn.batchRollback(tiny)
    } fill: { answer, response in
      if answer.hasError { response.error = TiKVKvrpcpb_KeyError(tinyKV: answer.error) }
    }
  }

  /// TinyKV's check rolls a missing primary back whatever `rollback_if_not_exist` says, and does
  /// not push `min_commit_ts` for `caller_start_ts`; see docs/TIKV-PROTOCOL.md.
  public func kvCheckTxnStatus(
    request: TiKVKvrpcpb_CheckTxnStatusRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_CheckTxnStatusResponse {
    try await transact("KvCheckTxnStatus", request.context) { context in
      var tiny = Kvrpcpb_CheckTxnStatusRequest()
      tiny.context = context
      tiny.primaryKey = request.primaryKey
      tiny.lockTs = request.lockTs
      tiny.currentTs = request.currentTs
      return try await txn.checkTxnStatus(tiny)
    } fill: { answer, response in
      response.lockTtl = answer.lockTtl
      response.commitVersion = answer.commitVersion
      // The first three actions have the same numbers in both protocols.
      response.action = TiKVKvrpcpb_Action(rawValue: answer.action.rawValue) ?? .noAction
    }
  }

  public func kvResolveLock(
    request: TiKVKvrpcpb_ResolveLockRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_ResolveLockResponse {
    if !request.txnInfos.isEmpty { throw NotServed.notYet("KvResolveLock", "txn_infos") }
    if !request.keys.isEmpty { throw NotServed.notYet("KvResolveLock", "resolving given keys") }
    return try await transact("KvResolveLock", request.context) { context in
      var tiny = Kvrpcpb_ResolveLockRequest()
      tiny.context = context
      tiny.startVersion = request.startVersion
      tiny.commitVersion = request.commitVersion
      return try await txn.resolveLock(tiny)
    } fill: { answer, response in
      if answer.hasError { response.error = TiKVKvrpcpb_KeyError(tinyKV: answer.error) }
    }
  }

  /// Checks the API version, runs `call` (the transaction handler) with TinyKV's form of the
  /// context, turns what it throws into a status (`TransactionRPCErrors`), and builds TiKV's
  /// response: the region error in TiKV's form, and the rest by `fill`.
  private func transact<Answer: RegionErrorResponse, Response: TiKVRegionErrorResponse>(
    _ method: String, _ context: TiKVKvrpcpb_Context,
    _ call: (Kvrpcpb_Context) async throws -> Answer,
    fill: (Answer, inout Response) -> Void
  ) async throws -> Response {
    try NotServed.checkAPIVersion(context, method)
    let tinyContext = context.tinyKV
    let answer = try await TransactionRPCErrors.mapping(method) { try await call(tinyContext) }
    var response = Response()
    if answer.regionError != Errorpb_Error() {
      response.regionError = TiKVErrorpb_Error(tinyKV: answer.regionError)
    }
    fill(answer, &response)
    return response
  }
}

extension TiKVKvrpcpb_GetResponse: TiKVRegionErrorResponse {}
extension TiKVKvrpcpb_ScanResponse: TiKVRegionErrorResponse {}
extension TiKVKvrpcpb_PrewriteResponse: TiKVRegionErrorResponse {}
extension TiKVKvrpcpb_CommitResponse: TiKVRegionErrorResponse {}
extension TiKVKvrpcpb_BatchRollbackResponse: TiKVRegionErrorResponse {}
extension TiKVKvrpcpb_CheckTxnStatusResponse: TiKVRegionErrorResponse {}
extension TiKVKvrpcpb_ResolveLockResponse: TiKVRegionErrorResponse {}
