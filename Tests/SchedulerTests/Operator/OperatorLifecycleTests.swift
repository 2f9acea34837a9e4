import Testing
import TinyKVProto

@testable import Scheduler

@Suite("Operator life cycle")
struct OperatorLifecycleTests {
  /// Three stores, max replicas 3, and region 1 on stores 1 and 2 only (led from store 1).
  func underReplicated(_ config: SchedulerConfig = SchedulerConfig()) throws -> TestNode {
    var config = config
    config.balanceLeader = false
    config.balanceRegion = false
    let test = try TestNode(config: config)
    try test.bootstrap(stores: 3)
    return test
  }

  @Test("a step is resent until a heartbeat shows it done, then the operator succeeds")
  func stepDone() throws {
    let test = try underReplicated()
    let first = try #require(
      try test.cluster.regionHeartbeat(region(1, "", "", confVer: 2, peers: [(11, 1), (12, 2)])))
    guard case .addPeer(let newPeer) = first.action else {
      Issue.record("expected add peer, got \(first.action)")
      return
    }
    #expect(newPeer.storeID == 3)
    #expect(first.targetPeer.id == 11)
    #expect(try test.cluster.operator(regionID: 1)?.status == .running)
    // The peer was added but is still catching up: the step is not done yet.
    let again = try test.cluster.regionHeartbeat(
      region(
        1, "", "", confVer: 3, peers: [(11, 1), (12, 2), (newPeer.id, 3)], pending: [newPeer.id]))
    #expect(again?.action == .addPeer(newPeer))
    // Caught up: done.
    let done = try test.cluster.regionHeartbeat(
      region(1, "", "", confVer: 3, peers: [(11, 1), (12, 2), (newPeer.id, 3)]))
    #expect(done == nil)
    #expect(try test.cluster.operator(regionID: 1)?.status == .success)
  }

  @Test("an operator past its deadline times out and stops sending")
  func timeout() throws {
    var config = SchedulerConfig()
    config.regionOperatorTimeoutMillis = 5000
    config.storeDownMillis = 60_000
    let test = try underReplicated(config)
    let stuck = region(1, "", "", confVer: 2, peers: [(11, 1), (12, 2)])
    #expect(try test.cluster.regionHeartbeat(stuck) != nil)
    test.clock.advance(5001)
    test.heartbeatStores()
    #expect(try test.cluster.regionHeartbeat(stuck) == nil)
    #expect(test.cluster.finishedOperatorCounts()[.timeout] == 1)
    #expect(try test.cluster.operator(regionID: 1)?.status == .timeout)
    // The region still lacks a replica: the next heartbeat starts a fresh operator.
    #expect(try test.cluster.regionHeartbeat(stuck) != nil)
  }

  @Test("a split under the operator cancels it")
  func cancelledBySplit() throws {
    let test = try underReplicated()
    #expect(
      try test.cluster.regionHeartbeat(
        region(1, "", "", version: 1, confVer: 2, peers: [(11, 1), (12, 2)])) != nil)
    let original = try #require(try test.cluster.operator(regionID: 1))
    _ = try test.cluster.regionHeartbeat(
      region(1, "", "m", version: 2, confVer: 2, peers: [(11, 1), (12, 2)]))
    #expect(test.cluster.finishedOperatorCounts()[.cancelled] == 1)
    #expect(try test.cluster.operator(regionID: 1) != original)
  }

  @Test("membership changes the operator did not make cancel it")
  func cancelledByForeignConfChange() throws {
    let test = try underReplicated()
    #expect(
      try test.cluster.regionHeartbeat(region(1, "", "", confVer: 2, peers: [(11, 1), (12, 2)]))
        != nil)
    // Two conf changes later, someone else removed a peer and added it back elsewhere.
    _ = try test.cluster.regionHeartbeat(region(1, "", "", confVer: 4, peers: [(11, 1), (13, 2)]))
    #expect(test.cluster.finishedOperatorCounts()[.cancelled] == 1)
  }

  @Test("removing the leader's own peer first hands leadership to a caught-up follower")
  func removeLeaderTransfersFirst() throws {
    let test = try underReplicated()
    // Four peers, max 3: the extra goes. Store 1 holds the leader and is made the most loaded.
    for id in 100..<105 as Range<UInt64> {
      _ = try test.cluster.regionHeartbeat(
        region(id, "z\(id)", "z\(id)~", peers: [(id, 1)], sizeMiB: 10))
    }
    let cluster = test.cluster
    let step = OperatorStep.removePeer(storeID: 1)
    let current = region(1, "", "a", confVer: 4, peers: [(11, 1), (12, 2), (13, 3)], pending: [12])
    let command = try #require(cluster.command(for: step, region: current, healthy: { _ in true }))
    #expect(command.action == .transferLeader(peer(13, store: 3)))
    let notLeader = region(
      1, "", "a", confVer: 4, peers: [(11, 1), (12, 2), (13, 3)], leaderIndex: 2)
    #expect(
      cluster.command(for: step, region: notLeader, healthy: { _ in true })?.action
        == .removePeer(peer(11, store: 1)))
  }

  @Test("a balance operator gives way to the replica checker when a peer's store goes down")
  func replacedByRepair() throws {
    var config = SchedulerConfig()
    config.storeDownMillis = 1000
    config.balanceLeader = false
    let test = try TestNode(config: config)
    try test.bootstrap(stores: 4)
    let current = region(1, "", "", confVer: 3, peers: [(11, 1), (12, 2), (13, 3)])
    _ = try test.cluster.regionHeartbeat(current)
    let balance = try test.cluster.withScheduleContext { context in
      context.makeOperator(
        current, kind: .balanceLeader, reason: "test",
        steps: [.transferLeader(fromStore: 1, toStore: 2)])
    }
    #expect(test.cluster.state.withLock { $0.operators.add(balance) })
    // Store 3 falls silent; the others keep heartbeating.
    test.clock.advance(1500)
    for id in [1, 2, 4] as [UInt64] {
      var stats = Schedulerpb_StoreStats()
      stats.storeID = id
      try test.cluster.storeHeartbeat(stats)
    }
    let command = try #require(try test.cluster.regionHeartbeat(current))
    #expect(test.cluster.finishedOperatorCounts()[.replaced] == 1)
    #expect(try test.cluster.operator(regionID: 1)?.kind == .replica)
    // The dead peer on store 3 goes first; its replacement on store 4 follows.
    #expect(command.action == .removePeer(peer(13, store: 3)))
    let steps = try #require(try test.cluster.operator(regionID: 1)?.steps)
    #expect(steps.contains { if case .addPeer(4, _) = $0 { true } else { false } })
  }
}
