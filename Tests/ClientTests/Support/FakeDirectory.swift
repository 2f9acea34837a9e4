import Client
import Foundation
import Synchronization
import TinyKVProto

/// A scripted scheduler: a region map and store addresses, counting every lookup.
final class FakeDirectory: RegionDirectory {
  struct State {
    var regions: [RegionLocation] = []
    var addresses: [UInt64: String] = [:]
    var regionByKeyCalls = 0
    var regionByIDCalls = 0
    var scanCalls = 0
    var storeCalls = 0
    var sessionIDs: UInt64 = 0

    /// Every lookup, of any kind.
    var calls: Int { regionByKeyCalls + regionByIDCalls + scanCalls + storeCalls }
  }

  let state = Mutex(State())

  func region(containing key: Data) async throws -> RegionLocation? {
    state.withLock { state in
      state.regionByKeyCalls += 1
      return state.regions.first { $0.region.holds(key) }
    }
  }

  func region(id: UInt64) async throws -> RegionLocation? {
    state.withLock { state in
      state.regionByIDCalls += 1
      return state.regions.first { $0.region.id == id }
    }
  }

  func scanRegions(from start: Data, to end: Data, limit: Int32) async throws -> [RegionLocation] {
    state.withLock { state in
      state.scanCalls += 1
      let inRange = state.regions.filter {
        ($0.region.endKey.isEmpty || start.lexicographicallyPrecedes($0.region.endKey))
          && (end.isEmpty || $0.region.startKey.lexicographicallyPrecedes(end))
      }
      return Array(limit == 0 ? inRange[...] : inRange.prefix(Int(limit)))
    }
  }

  func storeAddress(id: UInt64) async throws -> String {
    try state.withLock { state in
      state.storeCalls += 1
      guard let address = state.addresses[id] else { throw TestLookupError(storeID: id) }
      return address
    }
  }

  func newSessionID() async throws -> UInt64 {
    state.withLock { state in
      state.sessionIDs += 1
      return 1000 + state.sessionIDs
    }
  }
}

/// A store the fake directory does not know.
struct TestLookupError: Error {
  let storeID: UInt64
}
