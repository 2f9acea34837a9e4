import Foundation

/// A failure of the raft store itself (as opposed to a `RegionError`, which tells the client to
/// go elsewhere).
public struct RaftStoreError: Error, Hashable, Sendable, CustomStringConvertible {
  /// What kind of failure.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
      case corruption, alreadyBootstrapped, notBootstrapped, stopped, timeout, cancelled
    }
    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// Stored metadata is missing or cannot be decoded.
    public static let corruption = Code(.corruption)
    /// A region was bootstrapped twice on one store.
    public static let alreadyBootstrapped = Code(.alreadyBootstrapped)
    /// The region has no state on this store.
    public static let notBootstrapped = Code(.notBootstrapped)
    /// The store is shutting down or has stopped.
    public static let stopped = Code(.stopped)
    /// A command got no answer within its deadline; a write may or may not have been applied.
    public static let timeout = Code(.timeout)
    /// The task waiting for a command was cancelled (its RPC ended); a write may or may not
    /// have been applied.
    public static let cancelled = Code(.cancelled)

    public var description: String { "\(wrapped)" }
  }

  /// The kind of failure.
  public var code: Code
  /// What happened, for people.
  public var message: String

  /// Creates an error.
  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  public static func == (lhs: Self, rhs: Self) -> Bool { lhs.code == rhs.code }
  public func hash(into hasher: inout Hasher) { hasher.combine(code) }
  public var description: String { "RaftStoreError.\(code): \(message)" }
}
