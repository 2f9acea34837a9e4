/// An error reported by the Raft library or by a ``LogStorage`` implementation.
///
/// Errors compare equal when their ``code`` matches; the message is for humans.
public struct RaftError: Error, Hashable, CustomStringConvertible, Sendable {
  /// What went wrong, as a value that new cases can be added to without breaking callers.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
      case compacted, unavailable, snapshotOutOfDate, snapshotTemporarilyUnavailable
      case proposalDropped, stepLocalMessage, stepPeerNotFound, invalidConfig, storageFailure
    }
    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// The requested index is older than the storage's first index (compacted away).
    public static let compacted = Code(.compacted)
    /// The requested index is newer than the storage's last index.
    public static let unavailable = Code(.unavailable)
    /// The snapshot given to storage is older than what storage already holds.
    public static let snapshotOutOfDate = Code(.snapshotOutOfDate)
    /// Storage cannot produce a snapshot now; Raft retries later.
    public static let snapshotTemporarilyUnavailable = Code(.snapshotTemporarilyUnavailable)
    /// A proposal was not accepted (no leader known, leadership transfer in progress,
    /// a conf change already pending, or this node was removed).
    public static let proposalDropped = Code(.proposalDropped)
    /// A local-only message (``Eraftpb_MessageType/msgHup``, ``Eraftpb_MessageType/msgBeat``)
    /// was passed to ``RawNode/step(_:)`` as if it came from the network.
    public static let stepLocalMessage = Code(.stepLocalMessage)
    /// A response came from a peer that is not in the configuration.
    public static let stepPeerNotFound = Code(.stepPeerNotFound)
    /// ``RaftConfig`` or the storage's initial state is not valid.
    public static let invalidConfig = Code(.invalidConfig)
    /// The storage implementation failed (I/O error, corruption); see the message.
    public static let storageFailure = Code(.storageFailure)

    public var description: String { "\(wrapped)" }
  }

  /// The kind of error.
  public var code: Code
  /// A human-readable explanation.
  public var message: String

  /// Creates an error with a code and a message.
  public init(code: Code, message: String) {
    self.code = code
    self.message = message
  }

  public static func == (lhs: RaftError, rhs: RaftError) -> Bool { lhs.code == rhs.code }
  public func hash(into hasher: inout Hasher) { hasher.combine(code) }
  public var description: String { "RaftError.\(code): \(message)" }

  /// See ``Code/compacted``.
  public static let compacted = RaftError(
    code: .compacted, message: "requested index is unavailable due to compaction")
  /// See ``Code/unavailable``.
  public static let unavailable = RaftError(
    code: .unavailable, message: "requested entry at index is unavailable")
  /// See ``Code/snapshotOutOfDate``.
  public static let snapshotOutOfDate = RaftError(
    code: .snapshotOutOfDate, message: "requested index is older than the existing snapshot")
  /// See ``Code/snapshotTemporarilyUnavailable``.
  public static let snapshotTemporarilyUnavailable = RaftError(
    code: .snapshotTemporarilyUnavailable, message: "snapshot is temporarily unavailable")
  /// See ``Code/proposalDropped``.
  public static let proposalDropped = RaftError(
    code: .proposalDropped, message: "raft proposal dropped")
  /// See ``Code/stepLocalMessage``.
  public static let stepLocalMessage = RaftError(
    code: .stepLocalMessage, message: "cannot step raft local message")
  /// See ``Code/stepPeerNotFound``.
  public static let stepPeerNotFound = RaftError(
    code: .stepPeerNotFound, message: "cannot step as peer not found")
}
