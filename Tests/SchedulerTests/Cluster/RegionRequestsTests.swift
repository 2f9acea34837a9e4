import Foundation
import Testing
import TinyKVProto

@testable import Scheduler

@Suite("AskSplit, scatter and neighbouring regions")
struct RegionRequestsTests {
  @Test("AskSplit hands out a new region id and one new peer id per peer, all unused")
  func askSplit() throws {
    let test = try TestNode()
    try test.bootstrap(stores: 3)
    let known = region(1, "", "", peers: [(11, 1), (12, 2), (13, 3)])
    _ = try test.cluster.regionHeartbeat(known)
    let first = try test.cluster.askSplit(known.meta)
    let second = try test.cluster.askSplit(known.meta)
    #expect(first.peerIDs.count == 3)
    let all = [first.regionID, second.regionID] + first.peerIDs + second.peerIDs
    #expect(Set(all).count == all.count)
    #expect(throws: SchedulerError.self) {
      _ = try test.cluster.askSplit(region(9, "", "", peers: [(91, 1)]).meta)
    }
  }

  @Test("GetPrevRegion answers the region before the one holding the key")
  func previousRegion() throws {
    let test = try TestNode()
    try test.bootstrap(stores: 1)
    _ = try test.cluster.regionHeartbeat(region(1, "", "g", peers: [(11, 1)]))
    _ = try test.cluster.regionHeartbeat(region(2, "g", "p", peers: [(12, 1)]))
    _ = try test.cluster.regionHeartbeat(region(3, "p", "", peers: [(13, 1)]))
    #expect(try test.cluster.region(before: Data("q".utf8))?.id == 2)
    #expect(try test.cluster.region(before: Data("h".utf8))?.id == 1)
    #expect(try test.cluster.region(before: Data("a".utf8)) == nil)
  }

  @Test(
    "ScatterRegion makes a move from a crowded store to an empty one, and refuses unknown regions")
  func scatter() throws {
    var config = SchedulerConfig()
    config.balanceRegion = false
    config.balanceLeader = false
    let test = try TestNode(config: config)
    try test.bootstrap(stores: 4)
    for id in 1...4 as ClosedRange<UInt64> {
      _ = try test.cluster.regionHeartbeat(
        region(
          id, "k\(id)", "k\(id)~", peers: [(id * 10 + 1, 1), (id * 10 + 2, 2), (id * 10 + 3, 3)]))
    }
    let op = try #require(try test.cluster.scatter(regionID: 1))
    #expect(op.kind == .scatter)
    #expect(op.steps.contains { if case .addPeer(4, _) = $0 { true } else { false } })
    #expect(throws: SchedulerError.self) { try test.cluster.scatter(regionID: 99) }
  }
}
