import Client
import Synchronization
import TinyKVProto

/// Looks store addresses up in the scheduler (`GetStore`) and caches them; the cached address
/// of a store is dropped when connecting to it fails, so the next connection asks again.
public final class SchedulerStoreResolver: StoreResolver {
  /// Fetches a store's record from the cluster map.
  public typealias Lookup = @Sendable (_ storeID: UInt64) async throws -> Metapb_Store

  private let lookup: Lookup
  private let cache = Mutex<[UInt64: HostAndPort]>([:])

  /// A resolver asking `scheduler`, which must outlive it.
  public convenience init(scheduler: SchedulerClient) {
    self.init(lookup: { try await scheduler.store(id: $0).store })
  }

  /// A resolver asking `lookup` (a scheduler client's `store(id:)`, or a fake in tests).
  public init(lookup: @escaping Lookup) {
    self.lookup = lookup
  }

  public func address(of storeID: UInt64) async throws -> HostAndPort {
    if let cached = cache.withLock({ $0[storeID] }) { return cached }
    let store: Metapb_Store
    do {
      store = try await lookup(storeID)
    } catch let error as SchedulerClientError where error.type == .storeTombstone {
      throw StoreResolverError.tombstone(storeID)
    }
    guard store.id == storeID else { throw StoreResolverError.unknownStore(storeID) }
    guard store.state != .tombstone else { throw StoreResolverError.tombstone(storeID) }
    let address: HostAndPort
    do {
      address = try HostAndPort(parsing: store.address)
    } catch {
      throw StoreResolverError.invalidAddress(storeID: storeID, reason: error.reason)
    }
    cache.withLock { $0[storeID] = address }
    return address
  }

  public func connectionFailed(to storeID: UInt64) {
    _ = cache.withLock { $0.removeValue(forKey: storeID) }
  }
}
