import Foundation
import TinyKVProto

/// What region errors and unreachable stores teach the cache.
extension RegionCache {
  /// Records that `leader` leads region `regionID` (a `NotLeader` hint). If the cached region
  /// has no such peer (its membership changed), it is first reloaded from the directory by id.
  package func updateLeader(regionID: UInt64, leader: Metapb_Peer) async throws {
    if setLeader(regionID: regionID, leader) { return }
    try await reload(regionID: regionID)
    setLeader(regionID: regionID, leader)
  }

  /// Sets the leader of cached region `regionID` if `leader` is one of its peers.
  @discardableResult
  private func setLeader(regionID: UInt64, _ leader: Metapb_Peer) -> Bool {
    state.withLock { state in
      guard let index = state.index(ofRegion: regionID),
        state.regions[index].region.peers.contains(leader)
      else { return false }
      state.regions[index].leader = leader
      return true
    }
  }

  /// Moves region `regionID`'s target to the peer after `peer` (whose store could not be reached
  /// or did not know the leader), so the next attempt asks another store.
  /// - Returns: the new target, if the region is cached.
  @discardableResult
  package func switchPeer(regionID: UInt64, awayFrom peer: Metapb_Peer) -> Metapb_Peer? {
    state.withLock { state in
      guard let index = state.index(ofRegion: regionID) else { return nil }
      let next = state.regions[index].peer(after: peer)
      state.regions[index].leader = next
      return next
    }
  }

  /// Replaces what `regions` overlap with `regions` (an `EpochNotMatch`'s current regions, as
  /// the store on `storeID` knows them). The peer on that store is taken as leader of each, as
  /// it just checked the epoch; if it does not lead, its `NotLeader` will say who does.
  package func replace(with regions: [Metapb_Region], answeredBy storeID: UInt64) {
    state.withLock { state in
      for region in regions {
        // A region the cache already has at this epoch keeps the leader it knows.
        if let index = state.index(ofRegion: region.id),
          state.regions[index].region.regionEpoch == region.regionEpoch
        {
          continue
        }
        var cached = CachedRegion(region: region, leader: nil)
        cached.leader = cached.peer(onStore: storeID)
        state.insert(cached)
      }
    }
  }

  /// Drops region `regionID`, so the next request for its keys asks the directory.
  package func invalidate(regionID: UInt64) {
    state.withLock { state in
      if let index = state.index(ofRegion: regionID) { state.regions.remove(at: index) }
    }
  }

  /// Replaces region `regionID` with the directory's copy, or drops it if there is none.
  private func reload(regionID: UInt64) async throws {
    invalidate(regionID: regionID)
    guard let location = try await directory.region(id: regionID) else { return }
    state.withLock { $0.insert(CachedRegion(location)) }
  }
}
