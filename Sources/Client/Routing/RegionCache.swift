import Foundation
import Synchronization
import TinyKVProto

/// The regions and store addresses a client has learned, so that most requests go straight to
/// the right store without asking the scheduler.
///
/// Regions are kept in start-key order without overlaps and found by binary search under one
/// lock, which a hit holds for a few comparisons. A miss asks the `RegionDirectory` (outside the
/// lock) and inserts the answer, evicting any cached region it overlaps. Region errors update
/// the cache through the methods in `RegionCache+Updates.swift`; store addresses are dropped when
/// a store cannot be reached, so the next request asks for them again. Safe to share between
/// tasks.
package final class RegionCache: Sendable {
  struct State {
    /// Cached regions, in start-key order; no two overlap.
    var regions: [CachedRegion] = []
    /// Store addresses by store id.
    var stores: [UInt64: HostAndPort] = [:]

    /// How many cached regions start at or before `key`: the cached region that could hold
    /// `key` is the one just before this index.
    func upperBound(_ key: Data) -> Int {
      var low = 0
      var high = regions.count
      while low < high {
        let middle = (low + high) / 2
        if key.sorts(before: regions[middle].region.startKey) {
          high = middle
        } else {
          low = middle + 1
        }
      }
      return low
    }

    func region(containing key: Data) -> CachedRegion? {
      let index = upperBound(key) - 1
      guard index >= 0, regions[index].region.contains(key) else { return nil }
      return regions[index]
    }

    func index(ofRegion id: UInt64) -> Int? { regions.firstIndex { $0.region.id == id } }

    /// Caches `region`, evicting what it overlaps and any older copy of it, unless the cache
    /// already knows newer: an overlapping region of a higher version (it was split or merged
    /// since), or the same region with a higher conf version (its peers changed since).
    mutating func insert(_ region: CachedRegion) {
      let epoch = region.region.regionEpoch
      let isStale = regions.contains { cached in
        let cachedEpoch = cached.region.regionEpoch
        if cached.region.id == region.region.id {
          return cachedEpoch.version > epoch.version || cachedEpoch.confVer > epoch.confVer
        }
        return cached.region.overlaps(region.region) && cachedEpoch.version > epoch.version
      }
      guard !isStale else { return }
      regions.removeAll { $0.region.id == region.region.id || $0.region.overlaps(region.region) }
      regions.insert(region, at: upperBound(region.region.startKey))
    }
  }

  let directory: any RegionDirectory
  let state = Mutex(State())

  /// A cache that fills itself from `directory`.
  package init(directory: any RegionDirectory) {
    self.directory = directory
  }

  /// The region holding `key`: from the cache, else from the directory (then cached, unless the
  /// cache knows newer regions it overlaps: it is then used once, and its store's
  /// `EpochNotMatch` will bring the current regions).
  /// - Returns: nil if the directory knows no region holding `key`.
  package func locate(_ key: Data) async throws -> CachedRegion? {
    if let hit = cachedRegion(containing: key) { return hit }
    guard let location = try await directory.region(containing: key),
      location.region.contains(key)
    else { return nil }
    let region = CachedRegion(location)
    state.withLock { $0.insert(region) }
    return region
  }

  /// Caches the regions of `[start, end)` (empty `end`: to the last) with one directory call.
  package func preload(from start: Data, to end: Data, limit: Int32) async throws {
    let locations = try await directory.scanRegions(from: start, to: end, limit: limit)
    state.withLock { state in
      for location in locations { state.insert(CachedRegion(location)) }
    }
  }

  /// The cached region holding `key`, without asking the directory.
  package func cachedRegion(containing key: Data) -> CachedRegion? {
    state.withLock { $0.region(containing: key) }
  }

  /// The cached region with `id`, without asking the directory.
  package func cachedRegion(id: UInt64) -> CachedRegion? {
    state.withLock { state in state.index(ofRegion: id).map { state.regions[$0] } }
  }

  /// How many regions are cached.
  package var count: Int { state.withLock { $0.regions.count } }

  /// The address of store `id`: cached, else from the directory (then cached).
  package func address(ofStore id: UInt64) async throws -> HostAndPort {
    if let address = state.withLock({ $0.stores[id] }) { return address }
    let address = try HostAndPort(parsing: try await directory.storeAddress(id: id))
    state.withLock { $0.stores[id] = address }
    return address
  }

  /// Forgets store `id`'s address (it could not be reached; it may have moved).
  package func invalidateStore(_ id: UInt64) {
    _ = state.withLock { $0.stores.removeValue(forKey: id) }
  }
}
