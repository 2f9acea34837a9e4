import Foundation
import TinyKVProto

extension Kvrpcpb_KeyError {
  /// `key` is locked by the transaction of `lock`.
  static func locked(_ lock: Lock, key: Data) -> Self {
    var error = Self()
    error.locked = lock.info(key: key)
    return error
  }

  /// `key` was written at `conflictTS`, after the transaction started at `startTS`.
  static func conflict(startTS: UInt64, conflictTS: UInt64, key: Data, primary: Data) -> Self {
    var conflict = Kvrpcpb_WriteConflict()
    conflict.startTs = startTS
    conflict.conflictTs = conflictTS
    conflict.key = key
    conflict.primary = primary
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
