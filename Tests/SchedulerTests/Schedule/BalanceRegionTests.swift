import Testing

@testable import Scheduler

@Suite("Balance region")
struct BalanceRegionTests {
  @Test(
    "with one replica, the region moves off the fullest store with a leader transfer; offline stores are skipped"
  )
  func singleReplica() throws {
    let scenario = try Scenario(maxReplicas: 1)
    try scenario.addStore(1, fillers: 6)
    try scenario.addStore(2, fillers: 8)
    try scenario.addStore(3, fillers: 8)
    try scenario.addStore(4, fillers: 16)
    try scenario.addRegion(1, stores: [4])
    var op = try scenario.balanceRegion()
    #expect(move(op)?.from == 4 && move(op)?.to == 1)
    #expect(op?.steps.contains(.transferLeader(fromStore: 4, toStore: 1)) == true)
    // Store 1 goes offline: store 2 is now the emptiest suitable store.
    try scenario.cluster.setStoreState(id: 1, .offline)
    op = try scenario.balanceRegion()
    #expect(move(op)?.from == 4 && move(op)?.to == 2)
    // With three replicas wanted, a one-peer region is the replica checker's business.
    var config = try scenario.cluster.clusterConfig()
    config.maxPeerCount = 3
    try scenario.cluster.putClusterConfig(config)
    #expect(try scenario.balanceRegion() == nil)
  }

  @Test(
    "with three replicas the fullest store gives to the emptiest suitable one, never to a down store"
  )
  func threeReplicas() throws {
    let scenario = try Scenario(maxReplicas: 3)
    try scenario.addStore(1, fillers: 16)
    try scenario.addStore(2, fillers: 15)
    try scenario.addStore(3, fillers: 14)
    try scenario.addRegion(1, stores: [1, 2, 3])
    #expect(try scenario.balanceRegion() == nil)  // nowhere else to go
    try scenario.addStore(4, fillers: 2)
    #expect(move(try scenario.balanceRegion())?.to == 4)
    try scenario.addStore(5, fillers: 1)
    #expect(move(try scenario.balanceRegion())?.to == 5)
    try scenario.addStore(6, fillers: 0)
    var op = try scenario.balanceRegion()
    #expect(move(op)?.from == 1 && move(op)?.to == 6)
    try scenario.takeDown([6])
    op = try scenario.balanceRegion()
    #expect(move(op)?.from == 1 && move(op)?.to == 5)
    try scenario.takeDown([4, 5, 6])
    try scenario.addStore(7, fillers: 20)
    #expect(try scenario.balanceRegion() == nil)
  }

  @Test("a move happens only when the gap is more than twice the region's size")
  func gapThreshold() throws {
    let scenario = try Scenario(maxReplicas: 1)
    try scenario.addStore(1, fillers: 0)
    try scenario.addStore(2, fillers: 1)
    try scenario.addRegion(1, stores: [2])
    // Store 2: 20 MiB, store 1: 0. Gap 20 = 2 x 10: moving would only swap the roles.
    #expect(try scenario.balanceRegion() == nil)
    try scenario.addStore(2, fillers: 1)
    // Gap 30 > 20: worth it.
    #expect(move(try scenario.balanceRegion())?.to == 1)
  }

  @Test("a region with a pending peer on the source is moved first")
  func pendingFirst() throws {
    let scenario = try Scenario(maxReplicas: 3)
    try scenario.addStore(1, fillers: 16)
    try scenario.addStore(2, fillers: 7)
    try scenario.addStore(3, fillers: 15)
    try scenario.addStore(4, fillers: 10)
    try scenario.addRegion(1, stores: [1, 2, 3])
    try scenario.addRegion(2, stores: [1, 2, 3])
    try scenario.addRegion(3, stores: [2, 1, 3], pendingOn: [1])
    let op = try scenario.balanceRegion()
    #expect(op?.regionID == 3)
    #expect(move(op)?.from == 1 && move(op)?.to == 4)
    // The lagging peer may be dead: it is removed before the new one is added.
    #expect(op?.steps.first == .removePeer(storeID: 1))
  }

  @Test("only the lagging peer of a region moves, never a caught-up one beside it")
  func laggingPeerElsewhere() throws {
    let scenario = try Scenario(maxReplicas: 3)
    try scenario.addStore(1, fillers: 16)
    try scenario.addStore(2, fillers: 7)
    try scenario.addStore(3, fillers: 15)
    try scenario.addStore(4, fillers: 0)
    try scenario.addRegion(1, stores: [1, 2, 3], pendingOn: [3])
    // Store 1 is fullest, but moving its peer would leave 2 caught-up peers of 4 while the new
    // one catches up; the lagging peer on store 3 moves instead, removed first.
    let op = try #require(try scenario.balanceRegion())
    #expect(op.steps.first == .removePeer(storeID: 3))
    #expect(move(op)?.to == 4)
  }

  @Test("a region with a peer on a down store is left to the replica checker, not moved")
  func downPeerSkipped() throws {
    let scenario = try Scenario(maxReplicas: 3)
    try scenario.addStores(fillers: [16, 8, 8, 0, 0])
    try scenario.addRegion(1, stores: [1, 2, 3])
    try scenario.takeDown([3])
    #expect(try scenario.balanceRegion() == nil)
    try scenario.addRegion(2, stores: [1, 2, 4])
    let op = try scenario.balanceRegion()
    #expect(op?.regionID == 2 && move(op)?.to == 5)
  }
}

@Suite("Balance leader")
struct BalanceLeaderTests {
  @Test(
    "leadership moves from the store leading most to a follower store leading fewest, only for a gap of two or more"
  )
  func leaderGap() throws {
    let scenario = try Scenario(maxReplicas: 3)
    for store in 1...3 as ClosedRange<UInt64> { try scenario.addStore(store, fillers: 0) }
    try scenario.addRegion(1, stores: [1, 2, 3])
    try scenario.addRegion(2, stores: [2, 1, 3])
    // Leaders 1/1/0: a gap of one is not worth a transfer.
    #expect(try scenario.balanceLeader() == nil)
    try scenario.addRegion(3, stores: [1, 2, 3])
    let op = try #require(try scenario.balanceLeader())
    #expect(op.steps == [.transferLeader(fromStore: 1, toStore: 3)])
  }

  @Test("regions that lack a replica or have a pending peer keep their leader")
  func unhealthyRegionsSkipped() throws {
    let scenario = try Scenario(maxReplicas: 3)
    try scenario.addStores(fillers: [0, 0, 0])
    // Store 1 leads three regions, the others none; but none of the three is healthy.
    try scenario.addRegion(1, stores: [1, 2])
    try scenario.addRegion(2, stores: [1, 2, 3], pendingOn: [3])
    try scenario.addRegion(3, stores: [1, 2, 3], pendingOn: [2])
    #expect(try scenario.balanceLeader() == nil)
    try scenario.addRegion(4, stores: [1, 2, 3])
    #expect(try scenario.balanceLeader()?.regionID == 4)
  }
}
