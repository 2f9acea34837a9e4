import Foundation
import TinyKVProto

/// The cluster's map: stores, regions and per-store totals. A plain value with no I/O, so the
/// rules (heartbeat staleness, overlaps, liveness) are tested directly; `Cluster` wraps it in a
/// lock and persists what changes.
struct ClusterState: Sendable {
  var stores: [UInt64: StoreInfo] = [:]
  var regions = RegionTree()
  /// Totals per store id, over the regions with a peer there (stores not yet known included).
  private(set) var loads: [UInt64: StoreLoad] = [:]
  /// Replicas each region should have.
  var maxReplicas: Int = 3
  /// Per store id, the regions with a pending (catching-up) peer there.
  private(set) var pendingRegions: [UInt64: Set<UInt64>] = [:]
  /// How many regions have each number of peers.
  private(set) var peerCounts: [Int: Int] = [:]

  /// How many regions have fewer peers than `maxReplicas`.
  var underReplicatedRegionCount: Int {
    peerCounts.reduce(0) { $0 + ($1.key < maxReplicas ? $1.value : 0) }
  }

  func load(of storeID: UInt64) -> StoreLoad { loads[storeID] ?? StoreLoad() }

  // MARK: Stores

  /// Stores that can take a new peer at `now`: up (not offline or tombstone) and not down.
  func healthyStores(now: Int64, downAfterMillis: Int64) -> [StoreInfo] {
    stores.values.filter { $0.isUp && !$0.isDown(now: now, downAfterMillis: downAfterMillis) }
  }

  /// Whether a peer on `storeID` counts as alive and wanted: the store is known, up and not down.
  func isHealthy(storeID: UInt64, now: Int64, downAfterMillis: Int64) -> Bool {
    guard let store = stores[storeID] else { return false }
    return store.isUp && !store.isDown(now: now, downAfterMillis: downAfterMillis)
  }

  // MARK: Regions

  /// What a region heartbeat did to the map.
  struct RegionUpdate: Sendable {
    /// The region's range, epoch or peers changed (so it must be persisted).
    var metaChanged: Bool
    /// Regions dropped because the new one overlaps them.
    var removed: [RegionInfo]
  }

  /// Applies a region heartbeat, with TinyKV's staleness rule: a heartbeat whose epoch is older
  /// (in version or conf version) than the known region with the same id is refused, and so is
  /// one older in version than any region its range overlaps (conf versions of different
  /// regions are unrelated). Otherwise the region, its leader, size and pending peers are
  /// updated and the regions it overlaps are dropped.
  /// - Throws: `staleRegion` for an outdated heartbeat; nothing changes.
  mutating func apply(heartbeat region: RegionInfo) throws(SchedulerError) -> RegionUpdate {
    let old = regions.region(id: region.id)
    if let old, region.epoch.isStale(comparedTo: old.epoch) {
      throw SchedulerError(
        code: .staleRegion,
        message:
          "region \(region.id) epoch \(describe(region.epoch)) is older than \(describe(old.epoch))"
      )
    }
    // A leader that has stepped down may still have a heartbeat on its way: from an older term
    // than the map's, it would put the old leader back (and balance-leader would then chase
    // leaders that already moved). PD refuses it the same way; term 0 means not reported.
    if let old, region.term > 0, region.term < old.term {
      throw SchedulerError(
        code: .staleRegion,
        message: "region \(region.id) heartbeat from term \(region.term), older than \(old.term)")
    }
    let sameRange =
      old.map { $0.startKey == region.startKey && $0.endKey == region.endKey } ?? false
    if !sameRange {
      for other in regions.overlaps(startKey: region.startKey, endKey: region.endKey)
      where other.id != region.id && region.epoch.version < other.epoch.version {
        throw SchedulerError(
          code: .staleRegion,
          message:
            "region \(region.id) version \(region.epoch.version) overlaps region \(other.id) with newer version \(other.epoch.version)"
        )
      }
    }
    if let old { account(old, sign: -1) }
    let removed = regions.insert(region)
    for other in removed { account(other, sign: -1) }
    account(region, sign: 1)
    return RegionUpdate(metaChanged: old?.meta != region.meta, removed: removed)
  }

  /// Puts a region without any checks (loading from disk).
  mutating func restore(_ region: RegionInfo) {
    if let old = regions.region(id: region.id) { account(old, sign: -1) }
    for other in regions.insert(region) { account(other, sign: -1) }
    account(region, sign: 1)
  }

  private mutating func account(_ region: RegionInfo, sign: Int) {
    for peer in region.peers {
      loads[peer.storeID, default: StoreLoad()].add(region, storeID: peer.storeID, sign: sign)
    }
    for peer in region.pendingPeers {
      if sign > 0 {
        pendingRegions[peer.storeID, default: []].insert(region.id)
      } else {
        pendingRegions[peer.storeID]?.remove(region.id)
      }
    }
    peerCounts[region.peers.count, default: 0] += sign
  }

  private func describe(_ epoch: Metapb_RegionEpoch) -> String {
    "(conf_ver \(epoch.confVer), version \(epoch.version))"
  }
}
