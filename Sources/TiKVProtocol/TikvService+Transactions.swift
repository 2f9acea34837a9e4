import Foundation
import GRPCCore
import KVServer
import SwiftProtobuf
import TiKVGRPC
import TiKVProto
import TinyKVProto
import Transaction

/// The transactional RPCs the `TransactionHandler` serves. TinyKV's transactional messages were
/// extended with kvproto's fields under kvproto's numbers, so most requests and responses convert
/// by reencoding (`reencoded()`); what differs is fixed up: the context (TinyKV's routing part
/// only), `Op` numbers (mutations and `lock_type`), and CheckTxnStatus, field by field.
///
/// Refused with `UNIMPLEMENTED`: async commit, one-phase commit, `need_commit_ts`, `sample_step`,
/// assertions and the shared locks. Ignored hints: priorities and the rest of the context,
/// `wait_timeout` (a lock in the way fails at once), `verify_is_primary`, `skip_constraint_check`.
extension TikvService {
  public func kvGet(
    request: TiKVKvrpcpb_GetRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_GetResponse {
    if request.needCommitTs { throw NotServed.notYet("KvGet", "need_commit_ts") }
    return try await relay("KvGet", request, txn.get)
  }

  /// Forward (`end_key` exclusive) and reverse (`start_key` exclusive, `end_key` inclusive)
  /// scans, with `key_only`.
  public func kvScan(
    request: TiKVKvrpcpb_ScanRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_ScanResponse {
    if request.sampleStep != 0 { throw NotServed.notYet("KvScan", "sample_step") }
    return try await relay("KvScan", request, txn.scan)
  }

  public func kvBatchGet(
    request: TiKVKvrpcpb_BatchGetRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_BatchGetResponse {
    if request.needCommitTs { throw NotServed.notYet("KvBatchGet", "need_commit_ts") }
    return try await relay("KvBatchGet", request, txn.batchGet)
  }

  /// Optimistic and pessimistic prewrites (`for_update_ts`, `pessimistic_actions`), with
  /// `Insert` and `CheckNotExists`, `min_commit_ts` and `txn_size` kept in the locks.
  public func kvPrewrite(
    request: TiKVKvrpcpb_PrewriteRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_PrewriteResponse {
    if request.useAsyncCommit { throw NotServed.notYet("KvPrewrite", "async commit") }
    if request.tryOnePc { throw NotServed.notYet("KvPrewrite", "one-phase commit") }
    let mutations = try request.mutations.map { try $0.tinyKV("KvPrewrite") }
    return try await relay("KvPrewrite", request, txn.prewrite) { $0.mutations = mutations }
  }

  public func kvCommit(
    request: TiKVKvrpcpb_CommitRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_CommitResponse {
    if request.useAsyncCommit { throw NotServed.notYet("KvCommit", "async commit") }
    return try await relay(
      "KvCommit", request, txn.commit,
      finish: { response in
        if !response.hasError && !response.hasRegionError {
          response.commitVersion = request.commitVersion
        }
      })
  }

  public func kvBatchRollback(
    request: TiKVKvrpcpb_BatchRollbackRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_BatchRollbackResponse {
    try await relay("KvBatchRollback", request, txn.batchRollback)
  }

  /// `commit_version` 0 and no error: rolled back (or it was already).
  public func kvCleanup(
    request: TiKVKvrpcpb_CleanupRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_CleanupResponse {
    try await relay("KvCleanup", request, txn.cleanup)
  }

  public func kvTxnHeartBeat(
    request: TiKVKvrpcpb_TxnHeartBeatRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_TxnHeartBeatResponse {
    try await relay("KvTxnHeartBeat", request, txn.txnHeartBeat)
  }

  public func kvScanLock(
    request: TiKVKvrpcpb_ScanLockRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_ScanLockResponse {
    try await relay("KvScanLock", request, txn.scanLock)
  }

  public func kvCheckSecondaryLocks(
    request: TiKVKvrpcpb_CheckSecondaryLocksRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_CheckSecondaryLocksResponse {
    try await relay("KvCheckSecondaryLocks", request, txn.checkSecondaryLocks)
  }

  /// No lock waiting: a key another transaction locks fails at once with `locked`.
  public func kvPessimisticLock(
    request: TiKVKvrpcpb_PessimisticLockRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_PessimisticLockResponse {
    let mutations = try request.mutations.map { try $0.tinyKV("KvPessimisticLock") }
    return try await relay("KvPessimisticLock", request, txn.pessimisticLock) {
      $0.mutations = mutations
    }
  }

  public func kvPessimisticRollback(
    request: TiKVKvrpcpb_PessimisticRollbackRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_PessimisticRollbackResponse {
    try await relay("KVPessimisticRollback", request, txn.pessimisticRollback)
  }

  /// `txn_infos` resolves many transactions at once, `keys` only those keys.
  public func kvResolveLock(
    request: TiKVKvrpcpb_ResolveLockRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_ResolveLockResponse {
    try await relay("KvResolveLock", request, txn.resolveLock)
  }

  /// The two protocols number this request's and response's fields differently, so they convert
  /// field by field. kvproto's `rollback_if_not_exist` is a plain bool (a false is not on the
  /// wire), TinyKV's is `optional` (unset: roll back), so it is set explicitly either way.
  /// `verify_is_primary` is ignored.
  public func kvCheckTxnStatus(
    request: TiKVKvrpcpb_CheckTxnStatusRequest, context: ServerContext
  ) async throws -> TiKVKvrpcpb_CheckTxnStatusResponse {
    try await transact("KvCheckTxnStatus", request.context) { context in
      var tiny = Kvrpcpb_CheckTxnStatusRequest()
      tiny.context = context
      tiny.primaryKey = request.primaryKey
      tiny.lockTs = request.lockTs
      tiny.callerStartTs = request.callerStartTs
      tiny.currentTs = request.currentTs
      tiny.rollbackIfNotExist = request.rollbackIfNotExist
      tiny.forceSyncCommit = request.forceSyncCommit
      tiny.resolvingPessimisticLock = request.resolvingPessimisticLock
      return try await txn.checkTxnStatus(tiny)
    } fill: { answer, response in
      if answer.hasError { response.error = TiKVKvrpcpb_KeyError(tinyKV: answer.error) }
      response.lockTtl = answer.lockTtl
      response.commitVersion = answer.commitVersion
      // Actions 0-5 have the same numbers in both protocols.
      response.action = TiKVKvrpcpb_Action(rawValue: answer.action.rawValue) ?? .noAction
      if answer.hasLockInfo { response.lockInfo = TiKVKvrpcpb_LockInfo(tinyKV: answer.lockInfo) }
    }
  }

  /// Serves a request whose TinyKV twin has kvproto's field numbers: reencodes it, gives it
  /// TinyKV's context and `adjust`s it, runs `call`, and reencodes the answer as TiKV's
  /// response (lock types renumbered), which `finish` may complete.
  private func relay<
    Request: TiKVTxnRequest, Tiny: TinyKVTxnRequest, Answer: RegionErrorResponse & Message,
    Response: TiKVTxnResponse
  >(
    _ method: String, _ request: Request, _ call: (Tiny) async throws -> Answer,
    adjust: (inout Tiny) -> Void = { _ in }, finish: (inout Response) -> Void = { _ in }
  ) async throws -> Response {
    var tiny: Tiny = try converted(request, method)
    adjust(&tiny)
    return try await transact(method, request.context) { [tiny] context in
      var routed = tiny
      routed.context = context
      return try await call(routed)
    } fill: { answer, response in
      response = try converted(answer, method)
      response.renumberLockTypes()
      finish(&response)
    }
  }

  /// `message` as its twin in the other protocol, or `INTERNAL` if the twins disagree.
  private func converted<Target: Message>(_ message: some Message, _ method: String) throws
    -> Target
  {
    do {
      return try message.reencoded()
    } catch {
      throw RPCError(
        code: .internalError, message: "\(method): \(type(of: message)) does not convert: \(error)")
    }
  }

  /// Checks the API version, runs `call` (the transaction handler) with TinyKV's form of the
  /// context, turns what it throws into a status (`TransactionRPCErrors`), and builds TiKV's
  /// response: the region error in TiKV's form, and the rest by `fill`.
  private func transact<Answer: RegionErrorResponse, Response: TiKVRegionErrorResponse>(
    _ method: String, _ context: TiKVKvrpcpb_Context,
    _ call: (Kvrpcpb_Context) async throws -> Answer,
    fill: (Answer, inout Response) throws -> Void
  ) async throws -> Response {
    try NotServed.checkAPIVersion(context, method)
    let tinyContext = context.tinyKV
    let answer = try await TransactionRPCErrors.mapping(method) { try await call(tinyContext) }
    var response = Response()
    try fill(answer, &response)
    if answer.regionError != Errorpb_Error() {
      response.regionError = TiKVErrorpb_Error(tinyKV: answer.regionError)
    }
    return response
  }
}
