import Client

/// Finds the gRPC address of a store, for the transport to connect to.
public protocol StoreResolver: Sendable {
  /// The address store `storeID` serves `TinyKv` on.
  /// - Throws: if the store is unknown, removed (tombstoned) or cannot be looked up now; the
  ///   transport then drops the messages for that store and reports them unreachable.
  func address(of storeID: UInt64) async throws -> HostAndPort

  /// Tells the resolver that connecting to store `storeID` failed, so a cached address is
  /// looked up again next time (the store may have moved). The default does nothing.
  func connectionFailed(to storeID: UInt64)
}

extension StoreResolver {
  public func connectionFailed(to storeID: UInt64) {}
}

/// A fixed map from store ids to addresses, for tests and fixed deployments.
public struct StaticStoreResolver: StoreResolver {
  /// The address of every known store.
  public let addresses: [UInt64: HostAndPort]

  /// A resolver that knows exactly `addresses`.
  public init(_ addresses: [UInt64: HostAndPort]) {
    self.addresses = addresses
  }

  public func address(of storeID: UInt64) async throws -> HostAndPort {
    guard let address = addresses[storeID] else {
      throw StoreResolverError.unknownStore(storeID)
    }
    return address
  }
}

/// Why a store's address could not be found.
public enum StoreResolverError: Error, Equatable, CustomStringConvertible {
  /// No store with this id is known.
  case unknownStore(UInt64)
  /// The store was removed from the cluster.
  case tombstone(UInt64)
  /// The store's registered address cannot be parsed.
  case invalidAddress(storeID: UInt64, reason: String)

  public var description: String {
    switch self {
    case .unknownStore(let id): "store \(id) is unknown"
    case .tombstone(let id): "store \(id) is a tombstone"
    case .invalidAddress(let id, let reason): "store \(id) has an invalid address: \(reason)"
    }
  }
}
