import Foundation
import Storage
import TinyKVProto

/// Committing and rolling back single keys: shared by Commit, BatchRollback, ResolveLock and
/// CheckTxnStatus.
extension MvccTxn {
  /// Commits this transaction's lock on `key` at `commitTS`.
  ///
  /// Idempotent: a key already committed by this transaction is left as it is. A commit of a key
  /// this transaction does not lock, and never wrote, changes nothing (TinyKV's behaviour for a
  /// lost prewrite).
  /// - Returns: `abort` if the transaction was rolled back on `key`, `retryable` if another
  ///   transaction locks it, `txn_lock_not_found` if this transaction only holds a pessimistic
  ///   lock on it, `commit_ts_expired` if `commitTS` is below the lock's `minCommitTS`; `nil` on
  ///   success.
  mutating func commitKey(_ key: Data, commitTS: UInt64) throws -> Kvrpcpb_KeyError? {
    let lock = try reader.lock(key)
    if let lock, lock.startTS == startTS {
      guard let writeKind = lock.kind.writeKind else {
        return .txnLockNotFound(
          key, "transaction \(startTS) holds only a pessimistic lock on the key: prewrite it first")
      }
      if commitTS < lock.minCommitTS {
        return .commitTSExpired(
          startTS: startTS, attemptedCommitTS: commitTS, key: key, minCommitTS: lock.minCommitTS)
      }
      putWrite(key, commitTS: commitTS, Write(startTS: startTS, kind: writeKind))
      deleteLock(key)
      return nil
    }
    if let existing = try reader.write(key, startTS: startTS) {
      if existing.write.kind == .rollback {
        return .abort("transaction \(startTS) was rolled back on this key")
      }
      return nil
    }
    if let lock {
      return .retryable("key is locked by transaction \(lock.startTS), not \(startTS)")
    }
    return nil
  }

  /// Rolls this transaction back on `key`: removes its lock and staged value, if any, and leaves a
  /// rollback record at the start timestamp so that a late prewrite is refused.
  ///
  /// Idempotent: a key already rolled back is left as it is.
  /// - Returns: `abort` if the transaction is already committed on `key`; `nil` on success.
  mutating func rollbackKey(_ key: Data) throws -> Kvrpcpb_KeyError? {
    if let existing = try reader.write(key, startTS: startTS) {
      if existing.write.kind == .rollback { return nil }
      return .abort("transaction \(startTS) is already committed at \(existing.commitTS)")
    }
    if let lock = try reader.lock(key), lock.startTS == startTS {
      removeLock(key, lock)
    }
    putWrite(key, commitTS: startTS, Write(startTS: startTS, kind: .rollback))
    return nil
  }

  /// Removes this transaction's `lock` on `key` and its staged value.
  mutating func removeLock(_ key: Data, _ lock: Lock) {
    deleteLock(key)
    if lock.kind == .put { deleteValue(key) }
  }
}
