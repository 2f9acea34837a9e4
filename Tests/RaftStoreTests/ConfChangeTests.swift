import Foundation
import Raft
import Storage
import Synchronization
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// Membership change: removing a peer (ChangePeer RemoveNode) end to end.
@Suite(.serialized) struct ConfChangeTests {
  /// Whether a write through store `storeID` fails with `RegionNotFound`.
  private func answersRegionNotFound(_ cluster: Cluster, _ storeID: UInt64) async throws -> Bool {
    do {
      try await cluster.write(storeID, [.put(.default, key: Data("gone".utf8), value: Data())])
      return false
    } catch let error as RegionError {
      return error.error.hasRegionNotFound
    }
  }

  @Test func removedFollowerIsTombstonedAndTheRestServe() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let follower = try #require(cluster.storeIDs.first { $0 != leader })
    let rest = cluster.storeIDs.filter { $0 != follower }
    try await cluster.put("before", "1")
    let epoch = try #require(try cluster.regionState(leader)).region.regionEpoch
    try await cluster.changePeer(via: leader, .removeNode, Cluster.peer(follower), epoch: epoch)
    try await cluster.expectMembership(on: rest, peers: rest, confVer: 2)
    try await eventually("the removed peer destroyed itself") {
      try cluster.regionState(follower)?.state == .tombstone && !cluster.hasRaftState(follower)
    }
    try await cluster.put("after", "2")
    #expect(try await cluster.get("after") == "2")
    #expect(try await answersRegionNotFound(cluster, follower))
    // Its data went with it.
    #expect(try cluster.local(follower, "before") == nil)
    #expect(try cluster.local(follower, "after") == nil)

    for id in cluster.storeIDs { cluster.stop(id) }
    for id in cluster.storeIDs { try cluster.start(id) }
    #expect(try cluster.regionState(follower)?.state == .tombstone)
    #expect(try await answersRegionNotFound(cluster, follower))
    try await cluster.put("restarted", "3")
    #expect(try await cluster.get("restarted") == "3")
    try await cluster.expectMembership(on: rest, peers: rest, confVer: 2)
  }

  @Test func removedLeaderStepsDownAndTheRestElectAnother() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let rest = cluster.storeIDs.filter { $0 != leader }
    let epoch = try #require(try cluster.regionState(leader)).region.regionEpoch
    try await cluster.changePeer(via: leader, .removeNode, Cluster.peer(leader), epoch: epoch)
    try await eventually("the removed leader destroyed itself") {
      try cluster.regionState(leader)?.state == .tombstone
    }
    try await cluster.expectMembership(on: rest, peers: rest, confVer: 2)
    let newLeader = try await cluster.put("k", "v")
    #expect(rest.contains(newLeader))
    #expect(try await cluster.get("k") == "v")
    #expect(try await answersRegionNotFound(cluster, leader))
  }

  @Test func changeAtAStaleEpochIsRefused() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let follower = try #require(cluster.storeIDs.first { $0 != leader })
    var stale = try #require(try cluster.regionState(leader)).region.regionEpoch
    stale.confVer -= 1
    do {
      try await cluster.changePeer(via: leader, .removeNode, Cluster.peer(follower), epoch: stale)
      Issue.record("a change at a stale epoch was applied")
    } catch let error as RegionError {
      #expect(error.error.hasEpochNotMatch)
    }
    try await cluster.expectMembership(on: cluster.storeIDs, peers: cluster.storeIDs, confVer: 1)
  }

  @Test func secondChangeWhileOneIsPendingIsRefused() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let followers = cluster.storeIDs.filter { $0 != leader }
    let store = try #require(cluster.stores[leader])
    let epoch = try #require(try cluster.regionState(leader)).region.regionEpoch
    let outcomes = Outcomes()
    // Both are queued before the first can apply: Raft refuses the second while the first is
    // pending (or, had it been handed to the apply loop already, the apply loop refuses it at
    // the moved epoch).
    for (order, follower) in followers.enumerated() {
      store.changePeer(
        regionID: Cluster.regionID, change: .removeNode, peer: Cluster.peer(follower),
        epoch: epoch, callback: { outcomes.record(order, $0) })
    }
    try await eventually("both changes answered") { outcomes.count == 2 }
    #expect(outcomes.succeeded(0))
    #expect(!outcomes.succeeded(1))
    let remaining = cluster.storeIDs.filter { $0 != followers[0] }
    try await cluster.expectMembership(on: remaining, peers: remaining, confVer: 2)
  }
}

/// The outcomes of callbacks, by the order of their commands.
private final class Outcomes: Sendable {
  private let results = Mutex<[Int: Bool]>([:])
  func record(_ order: Int, _ result: Result<Void, any Error>) {
    results.withLock { $0[order] = (try? result.get()) != nil }
  }
  var count: Int { results.withLock { $0.count } }
  func succeeded(_ order: Int) -> Bool { results.withLock { $0[order] ?? false } }
}
