import Testing
import TinyKVProto

@testable import Scheduler

@Suite("Operators asked for by hand (AddOperator)")
struct AdminOperatorTests {
  /// Four stores; region 1 on stores 1, 2, 3, led from store 1 (balancers off, so that only
  /// the operators asked for run).
  func fourStores() throws -> TestNode {
    var config = SchedulerConfig()
    config.balanceLeader = false
    config.balanceRegion = false
    let test = try TestNode(config: config)
    try test.bootstrap(stores: 4)
    #expect(try test.cluster.regionHeartbeat(fullRegion()) == nil)
    return test
  }

  func fullRegion(confVer: UInt64 = 1, leaderIndex: Int = 0, pending: [UInt64] = [])
    -> RegionInfo
  {
    region(
      1, "", "", confVer: confVer, peers: [(11, 1), (12, 2), (13, 3)], leaderIndex: leaderIndex,
      pending: pending)
  }

  @Test("a leader transfer goes out with the next heartbeat and succeeds when the leader moved")
  func transferLeader() throws {
    let test = try fourStores()
    let op = try test.cluster.transferLeader(regionID: 1, toStore: 3)
    #expect(op.kind == .admin)
    #expect(op.steps == [.transferLeader(fromStore: 1, toStore: 3)])
    let command = try #require(try test.cluster.regionHeartbeat(fullRegion()))
    #expect(command.action == .transferLeader(peer(13, store: 3)))
    #expect(try test.cluster.regionHeartbeat(fullRegion(leaderIndex: 2)) == nil)
    #expect(try test.cluster.operator(regionID: 1)?.status == .success)
  }

  @Test("a move adds the new peer, hands over leadership from a leaving leader, then removes")
  func movePeerFromLeader() throws {
    let test = try fourStores()
    let op = try test.cluster.movePeer(regionID: 1, from: 1, to: 4)
    guard case .addPeer(4, let newPeerID) = op.steps.first else {
      Issue.record("expected add peer on store 4 first, got \(op.steps)")
      return
    }
    #expect(
      op.steps.dropFirst() == [.transferLeader(fromStore: 1, toStore: 4), .removePeer(storeID: 1)])
    let add = try #require(try test.cluster.regionHeartbeat(fullRegion()))
    #expect(add.action == .addPeer(peer(newPeerID, store: 4)))
    let four: [(UInt64, UInt64)] = [(11, 1), (12, 2), (13, 3), (newPeerID, 4)]
    let transfer = try #require(
      try test.cluster.regionHeartbeat(region(1, "", "", confVer: 2, peers: four)))
    #expect(transfer.action == .transferLeader(peer(newPeerID, store: 4)))
    let remove = try #require(
      try test.cluster.regionHeartbeat(region(1, "", "", confVer: 2, peers: four, leaderIndex: 3)))
    #expect(remove.action == .removePeer(peer(11, store: 1)))
    let moved = region(
      1, "", "", confVer: 3, peers: [(12, 2), (13, 3), (newPeerID, 4)], leaderIndex: 2)
    #expect(try test.cluster.regionHeartbeat(moved) == nil)
    #expect(try test.cluster.operator(regionID: 1)?.status == .success)
  }

  @Test("bad requests are refused with a clear error and add nothing")
  func refusals() throws {
    let test = try fourStores()
    func refused(
      _ code: SchedulerError.Code, _ fragment: String, _ body: () throws(SchedulerError) -> Operator
    ) {
      do {
        let op = try body()
        Issue.record("expected \(code) (\(fragment)), got \(op)")
      } catch {
        #expect(error.code == code)
        #expect(error.message.contains(fragment), "\(error.message)")
      }
    }
    refused(.regionNotFound, "region 9 not found") {
      () throws(SchedulerError) in try test.cluster.transferLeader(regionID: 9, toStore: 2)
    }
    refused(.storeNotFound, "store 7 not found") {
      () throws(SchedulerError) in try test.cluster.transferLeader(regionID: 1, toStore: 7)
    }
    refused(.invalidArgument, "no peer on store 4") {
      () throws(SchedulerError) in try test.cluster.transferLeader(regionID: 1, toStore: 4)
    }
    refused(.invalidArgument, "already leads") {
      () throws(SchedulerError) in try test.cluster.transferLeader(regionID: 1, toStore: 1)
    }
    refused(.invalidArgument, "already holds a peer") {
      () throws(SchedulerError) in try test.cluster.movePeer(regionID: 1, from: 1, to: 2)
    }
    refused(.invalidArgument, "no peer on store 4") {
      () throws(SchedulerError) in try test.cluster.movePeer(regionID: 1, from: 4, to: 2)
    }
    refused(.invalidArgument, "two different stores") {
      () throws(SchedulerError) in try test.cluster.movePeer(regionID: 1, from: 2, to: 2)
    }
    refused(.storeNotFound, "store 8 not found") {
      () throws(SchedulerError) in try test.cluster.movePeer(regionID: 1, from: 2, to: 8)
    }
    #expect(test.cluster.runningOperators().isEmpty)
    // A lagging peer may neither lead nor be relied on while another moves.
    _ = try test.cluster.regionHeartbeat(fullRegion(pending: [12]))
    refused(.invalidArgument, "still catching up") {
      () throws(SchedulerError) in try test.cluster.transferLeader(regionID: 1, toStore: 2)
    }
    refused(.invalidArgument, "catching up on stores 2") {
      () throws(SchedulerError) in try test.cluster.movePeer(regionID: 1, from: 3, to: 4)
    }
    #expect(test.cluster.runningOperators().isEmpty)
  }

  @Test("a region with an operator running refuses another")
  func busy() throws {
    let test = try fourStores()
    try test.cluster.transferLeader(regionID: 1, toStore: 2)
    do {
      let op = try test.cluster.movePeer(regionID: 1, from: 2, to: 4)
      Issue.record("expected regionBusy, got \(op)")
    } catch {
      #expect(error.code == .regionBusy)
    }
  }

  @Test("a store that is not up cannot take a peer or the leadership")
  func downTarget() throws {
    var config = SchedulerConfig()
    config.balanceLeader = false
    config.balanceRegion = false
    config.storeDownMillis = 1000
    let test = try TestNode(config: config)
    try test.bootstrap(stores: 4)
    _ = try test.cluster.regionHeartbeat(fullRegion())
    test.clock.advance(1001)  // nobody heartbeats: every store is down
    do {
      let op = try test.cluster.movePeer(regionID: 1, from: 1, to: 4)
      Issue.record("expected a refusal, got \(op)")
    } catch {
      #expect(error.code == .invalidArgument)
      #expect(error.message.contains("not up"))
    }
  }
}
