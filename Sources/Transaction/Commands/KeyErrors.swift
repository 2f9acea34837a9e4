import Foundation
import TinyKVProto

extension Kvrpcpb_KeyError {
  /// `key` is locked by the transaction of `lock`.
  static func locked(_ lock: Lock, key: Data) -> Self {
    var error = Self()
    error.locked = lock.info(key: key)
    return error
  }

  /// `key` was written by a transaction that committed at `commitTS`, which the transaction that
  /// started at `startTS` may not overlook. `conflict_ts` is the commit ts too (TinyKV's
  /// meaning; kvproto's is the other transaction's start ts).
  static func conflict(
    startTS: UInt64, commitTS: UInt64, key: Data, primary: Data,
    reason: Kvrpcpb_WriteConflict.Reason
  ) -> Self {
    var conflict = Kvrpcpb_WriteConflict()
    conflict.startTs = startTS
    conflict.conflictTs = commitTS
    conflict.conflictCommitTs = commitTS
    conflict.key = key
    conflict.primary = primary
    conflict.reason = reason
    var error = Self()
    error.conflict = conflict
    return error
  }

  /// Retrying may succeed.
  static func retryable(_ message: String) -> Self {
    var error = Self()
    error.retryable = message
    return error
  }

  /// The transaction cannot succeed.
  static func abort(_ message: String) -> Self {
    var error = Self()
    error.abort = message
    return error
  }
}

extension Kvrpcpb_KeyError {
  /// An Insert or CheckNotExists found a value on `key`.
  static func alreadyExist(_ key: Data) -> Self {
    var exist = Kvrpcpb_AlreadyExist()
    exist.key = key
    var error = Self()
    error.alreadyExist = exist
    return error
  }

  /// A commit at `attemptedCommitTS` comes before the lock's `minCommitTS`.
  static func commitTSExpired(
    startTS: UInt64, attemptedCommitTS: UInt64, key: Data, minCommitTS: UInt64
  ) -> Self {
    var expired = Kvrpcpb_CommitTsExpired()
    expired.startTs = startTS
    expired.attemptedCommitTs = attemptedCommitTS
    expired.key = key
    expired.minCommitTs = minCommitTS
    var error = Self()
    error.commitTsExpired = expired
    return error
  }

  /// The transaction of `startTS` left no trace on its primary.
  static func txnNotFound(startTS: UInt64, primary: Data) -> Self {
    var notFound = Kvrpcpb_TxnNotFound()
    notFound.startTs = startTS
    notFound.primaryKey = primary
    var error = Self()
    error.txnNotFound = notFound
    return error
  }

  /// The lock a commit expected on `key` is not there (or is only a pessimistic lock), as TiKV
  /// reports it: `retryable` and `txn_lock_not_found`.
  static func txnLockNotFound(_ key: Data, _ message: String) -> Self {
    var notFound = Kvrpcpb_TxnLockNotFound()
    notFound.key = key
    var error = Self()
    error.retryable = message
    error.txnLockNotFound = notFound
    return error
  }

  /// A prewrite expected the transaction's pessimistic lock on `key` and found none (TiKV's
  /// PessimisticLockNotFound, reported as `abort`).
  static func pessimisticLockNotFound(startTS: UInt64, key: Data) -> Self {
    .abort("PessimisticLockNotFound: transaction \(startTS) holds no pessimistic lock on the key")
  }
}
