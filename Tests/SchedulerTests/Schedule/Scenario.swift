import Foundation
import TinyKVProto

@testable import Scheduler

/// Builds TinyKV 3C-style scenarios through real heartbeats: stores with a given region size
/// (made of single-peer filler regions of 10 MiB) and regions with chosen peers.
final class Scenario {
  let test: TestNode
  private var nextFiller: UInt64 = 10_000

  init(maxReplicas: UInt32, storeDownMillis: Int64 = 60_000) throws {
    var config = SchedulerConfig()
    config.storeDownMillis = storeDownMillis
    config.balanceLeader = false
    config.balanceRegion = false
    config.replicaScheduleLimit = 0  // the replica checker stays out of balance scenarios
    test = try TestNode(config: config)
    try test.cluster.bootstrap(store: storeMeta(1))
    var cluster = try test.cluster.clusterConfig()
    cluster.maxPeerCount = maxReplicas
    try test.cluster.putClusterConfig(cluster)
  }

  var cluster: Cluster { test.cluster }

  /// Adds (or heartbeats) a store holding `fillers` filler regions of 10 MiB each.
  func addStore(_ id: UInt64, fillers: Int) throws {
    if id != 1 { try cluster.putStore(storeMeta(id)) }
    heartbeat(store: id)
    for _ in 0..<fillers {
      nextFiller += 1
      let key = String(format: "~%08d", nextFiller)
      _ = try cluster.regionHeartbeat(
        region(nextFiller, key, key + "~", peers: [(nextFiller, id)], sizeMiB: 10))
    }
  }

  /// Adds stores 1, 2, ... holding the given numbers of filler regions.
  func addStores(fillers: [Int]) throws {
    for (index, count) in fillers.enumerated() { try addStore(UInt64(index + 1), fillers: count) }
  }

  func heartbeat(store id: UInt64) {
    var stats = Schedulerpb_StoreStats()
    stats.storeID = id
    try? cluster.storeHeartbeat(stats)
  }

  /// Region `id` on `stores` (leader on the first), 10 MiB.
  func addRegion(_ id: UInt64, stores: [UInt64], pendingOn: [UInt64] = []) throws {
    let peers = stores.map { (id * 100 + $0, $0) }
    let pending = peers.filter { pendingOn.contains($0.1) }.map(\.0)
    _ = try cluster.regionHeartbeat(
      region(id, "r\(id)", "r\(id)~", peers: peers, pending: pending, sizeMiB: 10))
  }

  /// Lets every store but `down` heartbeat while time passes beyond the down threshold.
  func takeDown(_ down: Set<UInt64>, after millis: Int64 = 60_001) throws {
    test.clock.advance(millis)
    for store in try cluster.stores(excludingTombstones: true) where !down.contains(store.id) {
      heartbeat(store: store.id)
    }
  }

  func balanceRegion() throws -> Operator? {
    try cluster.withScheduleContext { context throws(SchedulerError) in
      try BalanceRegionScheduler.schedule(&context)
    }
  }

  func balanceLeader() throws -> Operator? {
    try cluster.withScheduleContext { context in BalanceLeaderScheduler.schedule(&context) }
  }

  func replicaCheck(_ id: UInt64) throws -> Operator? {
    guard let region = try cluster.region(id: id) else { return nil }
    return try cluster.withScheduleContext { context throws(SchedulerError) in
      try ReplicaChecker.check(region, &context)
    }
  }
}

/// The (source, target) of a move-peer operator, if it is one.
func move(_ op: Operator?) -> (from: UInt64, to: UInt64)? {
  guard let op else { return nil }
  var from: UInt64?
  var to: UInt64?
  for step in op.steps {
    if case .addPeer(let store, _) = step { to = store }
    if case .removePeer(let store) = step { from = store }
  }
  guard let from, let to else { return nil }
  return (from, to)
}
