import TinyKVProto

/// Why the coprocessor did not answer a request with rows. Three kinds travel three ways
/// (TiKV's and TinySQL's split):
/// - a request it cannot run as asked (an executor, function or type it does not support, a
///   malformed expression): `other_error`;
/// - an error while evaluating rows (TiDB's "BIGINT value is out of range", code 1690):
///   `SelectResponse.error`, with its MySQL error code, so the SQL layer reports it as MySQL
///   would;
/// - a lock in the snapshot's way: `locked`, so the client resolves it and retries.
///
/// Never a crash.
public struct CoprocessorError: Error, Equatable, CustomStringConvertible {
  /// What is wrong.
  public let description: String
  /// The MySQL error code of an evaluation error: 1690 out of range, 1 for any other.
  public let code: Int32
  /// The lock met, with the key it is on.
  public let locked: Kvrpcpb_LockInfo?

  /// MySQL's "value is out of range" (ER_DATA_OUT_OF_RANGE).
  public static let outOfRangeCode: Int32 = 1690

  /// An error saying `description`, with MySQL code `code` (1: none in particular).
  public init(_ description: String, code: Int32 = 1) {
    self.description = description
    self.code = code
    self.locked = nil
  }

  /// A lock that hides a key from the request's snapshot.
  public static func locked(_ lock: Kvrpcpb_LockInfo) -> CoprocessorError {
    CoprocessorError(lock: lock)
  }

  private init(lock: Kvrpcpb_LockInfo) {
    description = "key is locked by the transaction that started at \(lock.lockVersion)"
    code = 1
    locked = lock
  }
}
