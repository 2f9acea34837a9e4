import TinyKVProto

/// Why a transaction failed.
public struct TxnClientError: Error, Sendable, CustomStringConvertible {
  public enum Code: Sendable, Hashable {
    /// Another transaction wrote or locked a key first; retry with a new transaction.
    case conflict
    /// The transaction was rolled back (by itself or by another client that found its lock
    /// expired); retry with a new transaction.
    case aborted
    /// The store could not serve the request as addressed.
    case region
    /// The primary's commit got no answer: the transaction may or may not have committed.
    case undetermined
    /// Locks stayed in the way through every retry.
    case tooManyRetries
    /// The store cannot run the request as asked (a push-down it does not support); asking
    /// again will not help.
    case rejected
  }

  public var code: Code
  public var message: String

  public init(_ code: Code, _ message: String) {
    self.code = code
    self.message = message
  }

  /// Whether a new transaction doing the same work may succeed.
  public var isRetryable: Bool { code == .conflict || code == .aborted || code == .tooManyRetries }

  public var description: String { "\(code): \(message)" }
}
