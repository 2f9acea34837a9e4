import Client
import RaftTransport
import Synchronization
import Testing
import TinyKVProto

@Suite("Store resolvers")
struct StoreResolverTests {
  /// A scheduler's store records, counting lookups.
  final class FakeDirectory: Sendable {
    let stores = Mutex<[UInt64: Metapb_Store]>([:])
    let lookups = Atomic<Int>(0)

    func put(_ id: UInt64, _ address: String, state: Metapb_StoreState = .up) {
      var store = Metapb_Store()
      store.id = id
      store.address = address
      store.state = state
      stores.withLock { $0[id] = store }
    }

    /// What GetStore answers: the record, or an empty one for an unknown id.
    func lookup(_ id: UInt64) -> Metapb_Store {
      lookups.add(1, ordering: .relaxed)
      return stores.withLock { $0[id] } ?? Metapb_Store()
    }
  }

  @Test("the scheduler resolver caches addresses and asks again after a connection failure")
  func cachesAndRefreshes() async throws {
    let directory = FakeDirectory()
    directory.put(4, "127.0.0.1:20164")
    let resolver = SchedulerStoreResolver(lookup: { directory.lookup($0) })
    #expect(try await resolver.address(of: 4) == HostAndPort(host: "127.0.0.1", port: 20164))
    #expect(try await resolver.address(of: 4).port == 20164)
    #expect(directory.lookups.load(ordering: .relaxed) == 1)
    directory.put(4, "127.0.0.1:20264")
    resolver.connectionFailed(to: 4)
    #expect(try await resolver.address(of: 4).port == 20264)
    #expect(directory.lookups.load(ordering: .relaxed) == 2)
  }

  @Test("an unknown or tombstoned store is an error")
  func unknownAndTombstone() async throws {
    let directory = FakeDirectory()
    directory.put(5, "127.0.0.1:20165", state: .tombstone)
    let resolver = SchedulerStoreResolver(lookup: { directory.lookup($0) })
    await #expect(throws: StoreResolverError.tombstone(5)) {
      _ = try await resolver.address(of: 5)
    }
    await #expect(throws: StoreResolverError.unknownStore(6)) {
      _ = try await resolver.address(of: 6)
    }
  }

  @Test("the static resolver knows exactly its map")
  func staticMap() async throws {
    let resolver = StaticStoreResolver([1: HostAndPort(host: "127.0.0.1", port: 20161)])
    #expect(try await resolver.address(of: 1).port == 20161)
    await #expect(throws: StoreResolverError.unknownStore(2)) {
      _ = try await resolver.address(of: 2)
    }
  }
}
