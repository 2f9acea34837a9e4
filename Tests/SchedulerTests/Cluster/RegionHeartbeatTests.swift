import Foundation
import Testing
import TinyKVProto

@testable import Scheduler

@Suite("Region heartbeats")
struct RegionHeartbeatTests {
  func expectError(_ code: SchedulerError.Code, _ body: () throws -> Void) {
    #expect {
      try body()
    } throws: { error in
      (error as? SchedulerError)?.code == code
    }
  }

  @Test("before bootstrap, heartbeats and lookups answer not bootstrapped")
  func notBootstrapped() throws {
    let test = try TestNode()
    expectError(.notBootstrapped) {
      _ = try test.cluster.regionHeartbeat(region(1, "", "", peers: [(1, 1)]))
    }
    expectError(.notBootstrapped) { _ = try test.cluster.region(containing: Data()) }
    expectError(.notBootstrapped) { _ = try test.cluster.region(id: 1) }
    #expect(try test.node.allocateID() > 0)  // ids work before bootstrap
  }

  @Test("a heartbeat older in version or conf version than the known region is refused")
  func staleEpochRefused() throws {
    let test = try TestNode()
    try test.bootstrap(stores: 3)
    _ = try test.cluster.regionHeartbeat(
      region(1, "", "", version: 5, confVer: 5, peers: [(1, 1), (2, 2), (3, 3)]))
    expectError(.staleRegion) {
      _ = try test.cluster.regionHeartbeat(
        region(1, "", "", version: 4, confVer: 5, peers: [(1, 1), (2, 2), (3, 3)]))
    }
    expectError(.staleRegion) {
      _ = try test.cluster.regionHeartbeat(
        region(1, "", "", version: 5, confVer: 4, peers: [(1, 1), (2, 2), (3, 3)]))
    }
    // Same epoch: leader, size and pending peers still update.
    _ = try test.cluster.regionHeartbeat(
      region(
        1, "", "", version: 5, confVer: 5, peers: [(1, 1), (2, 2), (3, 3)], leaderIndex: 1,
        pending: [3], sizeMiB: 64))
    let known = try #require(try test.cluster.region(id: 1))
    #expect(known.leader?.storeID == 2)
    #expect(known.approximateSizeMiB == 64)
    #expect(known.pendingPeers.map(\.id) == [3])
    #expect(test.cluster.storeLoads()[2]?.leaderCount == 1)
  }

  @Test("a heartbeat from an older term than the known leader's is refused; term 0 is not checked")
  func staleTermRefused() throws {
    let test = try TestNode()
    try test.bootstrap(stores: 3)
    let peers: [(UInt64, UInt64)] = [(1, 1), (2, 2), (3, 3)]
    var fromStore2 = region(1, "", "", peers: peers, leaderIndex: 1)
    fromStore2.term = 7
    _ = try test.cluster.regionHeartbeat(fromStore2)
    // The leader before it (term 6, store 1) reports late: it would put itself back as leader.
    var late = region(1, "", "", peers: peers, leaderIndex: 0)
    late.term = 6
    expectError(.staleRegion) { _ = try test.cluster.regionHeartbeat(late) }
    #expect(try test.cluster.region(id: 1)?.leader?.storeID == 2)
    #expect(test.cluster.storeLoads()[2]?.leaderCount == 1)
    #expect(test.cluster.storeLoads()[1]?.leaderCount ?? 0 == 0)
    // A newer term and a store that does not report terms are both taken.
    var newer = region(1, "", "", peers: peers, leaderIndex: 2)
    newer.term = 8
    _ = try test.cluster.regionHeartbeat(newer)
    #expect(try test.cluster.region(id: 1)?.leader?.storeID == 3)
    _ = try test.cluster.regionHeartbeat(region(1, "", "", peers: peers, leaderIndex: 0))
    #expect(try test.cluster.region(id: 1)?.leader?.storeID == 1)
  }

  @Test("a split seen out of order: the right half first, then a late parent is stale")
  func splitOutOfOrder() throws {
    let test = try TestNode()
    try test.bootstrap(stores: 1)
    _ = try test.cluster.regionHeartbeat(region(1, "", "", version: 1, peers: [(11, 1)]))
    // The new right half reports before the shrunk left half does.
    _ = try test.cluster.regionHeartbeat(region(2, "m", "", version: 2, peers: [(12, 1)]))
    #expect(try test.cluster.region(containing: Data("z".utf8))?.id == 2)
    #expect(try test.cluster.region(id: 1) == nil)  // overlapped by a newer version: dropped
    // A late heartbeat of the old parent overlaps a newer region: stale.
    expectError(.staleRegion) {
      _ = try test.cluster.regionHeartbeat(region(1, "", "", version: 1, peers: [(11, 1)]))
    }
    // The left half with its new epoch is accepted.
    _ = try test.cluster.regionHeartbeat(region(1, "", "m", version: 2, peers: [(11, 1)]))
    #expect(try test.cluster.region(containing: Data("a".utf8))?.id == 1)
    #expect(
      try test.cluster.scanRegions(startKey: Data(), endKey: Data(), limit: 0).map(\.id) == [1, 2])
  }

  @Test("a merged region with a newer version replaces the regions it covers")
  func mergeReplacesOverlaps() throws {
    let test = try TestNode()
    try test.bootstrap(stores: 1)
    _ = try test.cluster.regionHeartbeat(region(1, "", "m", version: 2, peers: [(11, 1)]))
    _ = try test.cluster.regionHeartbeat(region(2, "m", "", version: 2, peers: [(12, 1)]))
    _ = try test.cluster.regionHeartbeat(region(1, "", "", version: 3, peers: [(11, 1)]))
    #expect(test.cluster.regionCount == 1)
    #expect(test.cluster.storeLoads()[1]?.regionCount == 1)
  }

  @Test("a heartbeat whose leader is on an unknown store, or without a leader, is refused")
  func invalidHeartbeats() throws {
    let test = try TestNode()
    try test.bootstrap(stores: 1)
    expectError(.storeNotFound) {
      _ = try test.cluster.regionHeartbeat(region(1, "", "", peers: [(1, 9)]))
    }
    expectError(.invalidArgument) {
      _ = try test.cluster.regionHeartbeat(region(1, "", "", peers: [(1, 1)], leaderIndex: nil))
    }
    expectError(.invalidArgument) {
      _ = try test.cluster.regionHeartbeat(region(0, "", "", peers: [(1, 1)]))
    }
  }

  @Test("regions survive a restart, and staleness still applies to them")
  func regionsPersist() throws {
    let directory = TempDirectory()
    do {
      let test = try TestNode(directory: directory)
      try test.bootstrap(stores: 1)
      _ = try test.cluster.regionHeartbeat(region(1, "", "m", version: 3, peers: [(11, 1)]))
      _ = try test.cluster.regionHeartbeat(region(2, "m", "", version: 3, peers: [(12, 1)]))
      test.node.close()
    }
    let test = try TestNode(directory: directory)
    #expect(test.cluster.isBootstrapped)
    #expect(try test.cluster.region(containing: Data("x".utf8))?.id == 2)
    #expect(try test.cluster.stores(excludingTombstones: false).map(\.id) == [1])
    expectError(.staleRegion) {
      _ = try test.cluster.regionHeartbeat(region(2, "m", "", version: 2, peers: [(12, 1)]))
    }
  }
}

@Suite("Stores, bootstrap and cluster settings")
struct StoreTests {
  @Test("bootstrap happens once")
  func bootstrapOnce() throws {
    let test = try TestNode()
    #expect(!test.cluster.isBootstrapped)
    try test.cluster.bootstrap(store: storeMeta(1))
    #expect(
      throws: SchedulerError(
        code: .alreadyBootstrapped,
        message: "cluster \(test.node.clusterID) is already bootstrapped")
    ) {
      try test.cluster.bootstrap(store: storeMeta(2))
    }
  }

  @Test("a second live store with the same address is refused; tombstones can be left out")
  func putStore() throws {
    let test = try TestNode()
    try test.bootstrap(stores: 2)
    #expect(throws: SchedulerError.self) {
      try test.cluster.putStore(storeMeta(3, address: storeMeta(2).address))
    }
    try test.cluster.putStore(storeMeta(2, address: "10.0.0.2:20160"))  // same store, new address
    try test.cluster.setStoreState(id: 2, .tombstone)
    try test.cluster.putStore(storeMeta(3, address: "10.0.0.2:20160"))  // the old one is gone for good
    #expect(try test.cluster.stores(excludingTombstones: true).map(\.id) == [1, 3])
    #expect(try test.cluster.stores(excludingTombstones: false).map(\.id) == [1, 2, 3])
    #expect(throws: SchedulerError.self) { try test.cluster.putStore(storeMeta(2)) }
  }

  @Test("stores go down after a configurable silence")
  func storeDown() throws {
    var config = SchedulerConfig()
    config.storeDownMillis = 1000
    let test = try TestNode(config: config)
    try test.bootstrap(stores: 2)
    test.clock.advance(600)
    var stats = Schedulerpb_StoreStats()
    stats.storeID = 1
    try test.cluster.storeHeartbeat(stats)
    test.clock.advance(600)
    let now = test.clock.monotonicMillis()
    let stores = try test.cluster.stores(excludingTombstones: true)
    #expect(!stores[0].isDown(now: now, downAfterMillis: 1000))
    #expect(stores[1].isDown(now: now, downAfterMillis: 1000))
  }

  @Test("the GC safe point never moves back and survives a restart")
  func gcSafePoint() throws {
    let directory = TempDirectory()
    do {
      let test = try TestNode(directory: directory)
      try test.bootstrap(stores: 1)
      #expect(try test.cluster.updateGCSafePoint(100) == 100)
      #expect(try test.cluster.updateGCSafePoint(50) == 100)
      test.node.close()
    }
    let test = try TestNode(directory: directory)
    #expect(try test.cluster.gcSafePoint() == 100)
  }

  @Test("the cluster config holds max replicas (default 3) and persists changes")
  func clusterConfig() throws {
    let directory = TempDirectory()
    do {
      let test = try TestNode(directory: directory)
      try test.bootstrap(stores: 1)
      #expect(try test.cluster.clusterConfig().maxPeerCount == 3)
      var config = try test.cluster.clusterConfig()
      config.maxPeerCount = 5
      try test.cluster.putClusterConfig(config)
      test.node.close()
    }
    let test = try TestNode(directory: directory)
    #expect(try test.cluster.clusterConfig().maxPeerCount == 5)
    #expect(try test.cluster.clusterConfig().id == test.node.clusterID)
  }
}
