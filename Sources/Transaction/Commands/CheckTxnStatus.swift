import Foundation
import Storage
import TinyKVProto

/// KvCheckTxnStatus: what became of the transaction that started at `lock_ts`, judged by its
/// primary key.
///
/// - Locked and alive: `lock_ttl` is the lock's TTL and `lock_info` the lock. If
///   `caller_start_ts` reached the lock's non-zero `min_commit_ts`, that is pushed to
///   `max(caller_start_ts + 1, current_ts)` so the caller can read past the lock, and the action
///   is `MinCommitTSPushed` (also when `caller_start_ts` is the maximum, as TiKV answers).
/// - Locked but expired at `current_ts` (physical times compared): rolled back,
///   `TTLExpireRollback`; but an expired pessimistic lock checked with
///   `resolving_pessimistic_lock` is only removed, `TTLExpirePessimisticRollback`.
/// - Committed: `commit_version` is its commit timestamp.
/// - Rolled back: all fields zero.
/// - No trace (the prewrite never arrived): with `rollback_if_not_exist` explicitly false,
///   `error.txn_not_found`; with `resolving_pessimistic_lock`, nothing, `LockNotExistDoNothing`;
///   otherwise a rollback record is written so that it never will, `LockNotExistRollback`.
struct CheckTxnStatus: WriteCommand {
  let request: Kvrpcpb_CheckTxnStatusRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { [request.primaryKey] }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_CheckTxnStatusResponse> {
    var response = Kvrpcpb_CheckTxnStatusResponse()
    var txn = MvccTxn(reader: reader, startTS: request.lockTs)
    let key = request.primaryKey
    if let lock = try reader.lock(key), lock.startTS == request.lockTs {
      if lock.isExpired(at: request.currentTs) {
        if lock.isPessimistic, request.resolvingPessimisticLock {
          txn.deleteLock(key)
          response.action = .ttlexpirePessimisticRollback
        } else {
          txn.removeLock(key, lock)
          txn.putWrite(
            key, commitTS: request.lockTs, Write(startTS: request.lockTs, kind: .rollback))
          response.action = .ttlexpireRollback
        }
      } else {
        alive(lock, &response, in: &txn)
      }
      return CommandOutput(response: response, modifications: txn.modifications)
    }
    if let existing = try reader.write(key, startTS: request.lockTs) {
      if existing.write.kind != .rollback { response.commitVersion = existing.commitTS }
      return CommandOutput(response: response, modifications: [])
    }
    if request.hasRollbackIfNotExist, !request.rollbackIfNotExist {
      response.error = .txnNotFound(startTS: request.lockTs, primary: key)
      return CommandOutput(response: response, modifications: [])
    }
    if request.resolvingPessimisticLock {
      response.action = .lockNotExistDoNothing
      return CommandOutput(response: response, modifications: [])
    }
    txn.putWrite(key, commitTS: request.lockTs, Write(startTS: request.lockTs, kind: .rollback))
    response.action = .lockNotExistRollback
    return CommandOutput(response: response, modifications: txn.modifications)
  }

  /// Reports a live lock, pushing its `minCommitTS` past the caller if asked to.
  private func alive<Reader>(
    _ lock: Lock, _ response: inout Kvrpcpb_CheckTxnStatusResponse, in txn: inout MvccTxn<Reader>
  ) {
    var lock = lock
    let caller = request.callerStartTs
    if lock.minCommitTS != 0, caller != TSO.max, caller >= lock.minCommitTS {
      lock.minCommitTS = max(caller + 1, request.currentTs)
      txn.putLock(request.primaryKey, lock)
    }
    if (caller != 0 && lock.minCommitTS > caller) || caller == TSO.max {
      response.action = .minCommitTspushed
    }
    response.lockTtl = lock.ttl
    response.lockInfo = lock.info(key: request.primaryKey)
  }
}
