import TinyKVProto

/// An error from the scheduler's handlers, in our own terms; the gRPC adapter turns it into
/// TinyKV's `schedulerpb.Error` in a response header (or a gRPC status where TinyKV uses one).
public struct SchedulerError: Error, Hashable, Sendable, CustomStringConvertible {
  /// The kind of a scheduler error. New codes may be added.
  public struct Code: Hashable, Sendable, CustomStringConvertible {
    private enum Wrapped: Hashable, Sendable {
      case notBootstrapped, alreadyBootstrapped, storeTombstone, regionNotFound, storeNotFound
      case staleRegion, invalidArgument, clusterMismatch, storage, regionBusy, unknown
    }
    private let wrapped: Wrapped
    private init(_ wrapped: Wrapped) { self.wrapped = wrapped }

    /// The cluster has not been bootstrapped yet.
    public static let notBootstrapped = Code(.notBootstrapped)
    /// Bootstrap was asked for a second time.
    public static let alreadyBootstrapped = Code(.alreadyBootstrapped)
    /// The store was removed for good.
    public static let storeTombstone = Code(.storeTombstone)
    /// No region with that id or key is known.
    public static let regionNotFound = Code(.regionNotFound)
    /// No store with that id is known.
    public static let storeNotFound = Code(.storeNotFound)
    /// A region heartbeat older (in epoch) than what is known.
    public static let staleRegion = Code(.staleRegion)
    /// A malformed request (missing field, zero id, zero count, ...).
    public static let invalidArgument = Code(.invalidArgument)
    /// The request names another cluster.
    public static let clusterMismatch = Code(.clusterMismatch)
    /// The scheduler's own database failed.
    public static let storage = Code(.storage)
    /// The region already has a running operator.
    public static let regionBusy = Code(.regionBusy)
    /// Anything else.
    public static let unknown = Code(.unknown)

    public var description: String {
      switch wrapped {
      case .notBootstrapped: "not bootstrapped"
      case .alreadyBootstrapped: "already bootstrapped"
      case .storeTombstone: "store tombstone"
      case .regionNotFound: "region not found"
      case .storeNotFound: "store not found"
      case .staleRegion: "stale region"
      case .invalidArgument: "invalid argument"
      case .clusterMismatch: "cluster mismatch"
      case .storage: "storage"
      case .regionBusy: "region busy"
      case .unknown: "unknown"
      }
    }

    /// TinyKV's wire error type for this code.
    var wireType: Schedulerpb_ErrorType {
      switch wrapped {
      case .notBootstrapped: .notBootstrapped
      case .alreadyBootstrapped: .alreadyBootstrapped
      case .storeTombstone: .storeTombstone
      case .regionNotFound: .regionNotFound
      default: .unknown
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

  static func notBootstrapped() -> SchedulerError {
    SchedulerError(code: .notBootstrapped, message: "cluster is not bootstrapped")
  }
  static func invalid(_ message: String) -> SchedulerError {
    SchedulerError(code: .invalidArgument, message: message)
  }
}
