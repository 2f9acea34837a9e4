import TinyKVProto

/// A scheduler call that failed.
public enum SchedulerClientError: Error, CustomStringConvertible {
  /// The scheduler answered with an error in the response header (TinyKV's error types:
  /// `NOT_BOOTSTRAPPED`, `ALREADY_BOOTSTRAPPED`, `STORE_TOMBSTONE`, `REGION_NOT_FOUND`, ...).
  case scheduler(Schedulerpb_Error)
  /// The scheduler belongs to another cluster than the one this client first connected to.
  case clusterMismatch(expected: UInt64, got: UInt64)
  /// The scheduler could not be reached within the retry timeout.
  case unavailable(String)
  /// The call was given something it cannot use.
  case invalidArgument(String)

  /// The scheduler's error type, for `.scheduler` errors.
  public var type: Schedulerpb_ErrorType? {
    if case .scheduler(let error) = self { return error.type }
    return nil
  }

  public var description: String {
    switch self {
    case .scheduler(let error): "scheduler error \(error.type): \(error.message)"
    case .clusterMismatch(let expected, let got):
      "cluster id mismatch: connected to cluster \(expected), the scheduler now says \(got)"
    case .unavailable(let reason): "scheduler unavailable: \(reason)"
    case .invalidArgument(let reason): "invalid argument: \(reason)"
    }
  }
}
