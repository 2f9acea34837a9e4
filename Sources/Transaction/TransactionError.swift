/// An error from the transaction layer that is not a per-key outcome.
///
/// Per-key outcomes (a lock in the way, a write conflict, an aborted transaction) are not
/// errors here: they travel in the response's `KeyError`. This type covers what makes a whole
/// request fail: a stored record that cannot be decoded, or a request that makes no sense.
public struct TransactionError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The kind of a transaction error. New codes may be added.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
      case corruptRecord, invalidRequest
    }
    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// A key or value read from storage is not in the format this layer writes.
    public static let corruptRecord = Code(.corruptRecord)
    /// The request is malformed (an unknown mutation op, a commit ts not after the start ts).
    public static let invalidRequest = Code(.invalidRequest)

    public var description: String {
      switch wrapped {
      case .corruptRecord: "corrupt record"
      case .invalidRequest: "invalid request"
      }
    }
  }

  public var code: Code
  public var message: String

  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  public var description: String { "\(code): \(message)" }

  static func corrupt(_ message: String) -> TransactionError {
    TransactionError(code: .corruptRecord, message: message)
  }

  static func invalid(_ message: String) -> TransactionError {
    TransactionError(code: .invalidRequest, message: message)
  }
}
