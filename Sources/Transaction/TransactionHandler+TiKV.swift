import Foundation
import Storage
import TinyKVProto

/// TiKV's transactional commands that TinyKV's protocol lacks (kvproto's `tikvpb.Tikv`
/// methods of the same names), for the adapter that serves TiKV's clients.
extension TransactionHandler {
  /// KvBatchGet: the values of `keys` at `version`; a key locked against the read comes back as
  /// a pair with `error.locked`, a key without a value is left out.
  public func batchGet(
    _ request: Kvrpcpb_BatchGetRequest
  ) async throws -> Kvrpcpb_BatchGetResponse {
    try await read(BatchGet(request: request))
  }

  /// KvCleanup: rolls the transaction back on `key` unless its lock is alive at `current_ts`
  /// (then `error.locked`); reports `commit_version` if it committed.
  public func cleanup(_ request: Kvrpcpb_CleanupRequest) async throws -> Kvrpcpb_CleanupResponse {
    try await write(Cleanup(request: request))
  }

  /// KvTxnHeartBeat: raises the primary lock's TTL to `advise_lock_ttl` and answers the TTL;
  /// `error.txn_not_found` if the transaction holds no lock on `primary_lock`.
  public func txnHeartBeat(
    _ request: Kvrpcpb_TxnHeartBeatRequest
  ) async throws -> Kvrpcpb_TxnHeartBeatResponse {
    try await write(TxnHeartBeat(request: request))
  }

  /// KvScanLock: the locks with `lock_version <= max_version` in `[start_key, end_key)`, at most
  /// `limit` (0: all).
  public func scanLock(
    _ request: Kvrpcpb_ScanLockRequest
  ) async throws -> Kvrpcpb_ScanLockResponse {
    try await read(ScanLock(request: request))
  }

  /// KvCheckSecondaryLocks: the transaction's locks on `keys`, or its `commit_ts`, or neither if
  /// it is rolled back; a key it neither locks nor committed gets a rollback record.
  public func checkSecondaryLocks(
    _ request: Kvrpcpb_CheckSecondaryLocksRequest
  ) async throws -> Kvrpcpb_CheckSecondaryLocksResponse {
    try await write(CheckSecondaryLocks(request: request))
  }

  /// KvPessimisticLock: pessimistic locks on the mutations' keys at `for_update_ts`. A key
  /// locked by another transaction fails at once with `error.locked` (no lock waiting).
  public func pessimisticLock(
    _ request: Kvrpcpb_PessimisticLockRequest
  ) async throws -> Kvrpcpb_PessimisticLockResponse {
    try await write(PessimisticLock(request: request))
  }

  /// KVPessimisticRollback: removes the transaction's pessimistic locks on `keys` whose
  /// `for_update_ts` is at most the request's.
  public func pessimisticRollback(
    _ request: Kvrpcpb_PessimisticRollbackRequest
  ) async throws -> Kvrpcpb_PessimisticRollbackResponse {
    try await write(PessimisticRollback(request: request))
  }
}
