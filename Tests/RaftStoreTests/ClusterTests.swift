import Engine
import Foundation
import Storage
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

@Suite(.serialized) struct ClusterTests {
  @Test func writesReplicateToEveryStore() async throws {
    let cluster = try Cluster(count: 3)
    for i in 0..<20 { try await cluster.put("k\(i)", "v\(i)") }
    #expect(try await cluster.get("k7") == "v7")
    for id in cluster.storeIDs {
      try await eventually("store \(id) applied every write") {
        try (0..<20).allSatisfy { try cluster.local(id, "k\($0)") == "v\($0)" }
      }
    }
  }

  @Test func concurrentWritesAreAllApplied() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let store = try #require(cluster.stores[leader])
    let storage = RaftStorage(store: store)
    let context = cluster.context(leader)
    try await withThrowingTaskGroup(of: Void.self) { group in
      for i in 0..<200 {
        group.addTask {
          try await storage.write(
            context, [.put(.default, key: Data("c\(i)".utf8), value: Data("\(i)".utf8))])
        }
      }
      try await group.waitForAll()
    }
    for id in cluster.storeIDs {
      try await eventually("store \(id) applied the concurrent writes") {
        try (0..<200).allSatisfy { try cluster.local(id, "c\($0)") == "\($0)" }
      }
    }
    // Every acknowledged write was synced by some round; never more than one sync a round.
    let statistics = store.statistics
    #expect(statistics.syncedWrites > 0 && statistics.syncedWrites <= statistics.rounds)
  }

  @Test func followerAnswersNotLeaderWithTheLeader() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let follower = try #require(cluster.storeIDs.first { $0 != leader })
    // The follower may not know the leader until its first heartbeat.
    try await eventually("the follower names the leader") {
      do {
        try await cluster.write(follower, [.put(.default, key: Data("a".utf8), value: Data())])
        return false
      } catch let error as RegionError {
        return error.error.hasNotLeader && error.error.notLeader.leader.id == leader
      }
    }
    await #expect(throws: RegionError.self) { _ = try await cluster.read(follower, Data("a".utf8)) }
  }

  @Test func badRequestsGetRegionErrors() async throws {
    let cluster = try Cluster(count: 1)
    let leader = try await cluster.leader()
    let store = try #require(cluster.stores[leader])
    let storage = RaftStorage(store: store)
    var context = cluster.context(leader)
    context.regionID = 99
    do {
      try await storage.write(context, [.put(.default, key: Data("a".utf8), value: Data())])
      Issue.record("a write to an unknown region succeeded")
    } catch let error as RegionError {
      #expect(error.error.hasRegionNotFound)
    }
    context = cluster.context(leader)
    context.regionEpoch.version = 42
    context.regionEpoch.confVer = 1
    do {
      try await storage.write(context, [.put(.default, key: Data("a".utf8), value: Data())])
      Issue.record("a write with a stale epoch succeeded")
    } catch let error as RegionError {
      #expect(error.error.hasEpochNotMatch)
    }
    // An unknown column family fails that write only; every replica agrees it changes nothing.
    await #expect(throws: EngineError.self) {
      try await storage.write(
        cluster.context(leader), [.put(ColumnFamily("nope"), key: Data("a".utf8), value: Data())])
    }
    try await cluster.put("after", "ok")
    #expect(try await cluster.get("after") == "ok")
  }

  @Test func leaderFailoverKeepsServing() async throws {
    let cluster = try Cluster(count: 3)
    try await cluster.put("before", "1")
    let oldLeader = try await cluster.leader()
    cluster.transport.isolate(oldLeader)
    // The other two elect a new leader and keep accepting writes.
    let newLeader = try await cluster.put("during", "2")
    #expect(newLeader != oldLeader)
    #expect(try await cluster.get("before") == "1")
    cluster.transport.heal()
    try await eventually("the old leader catches up") {
      try cluster.local(oldLeader, "during") == "2"
    }
  }

  @Test func overwrittenProposalFailsWithStaleCommand() async throws {
    let cluster = try Cluster(count: 3)
    try await cluster.put("before", "1")
    let oldLeader = try await cluster.leader()
    let store = try #require(cluster.stores[oldLeader])
    cluster.transport.isolate(oldLeader)
    // The isolated leader accepts the proposal but cannot commit it.
    let storage = RaftStorage(store: store)
    let context = cluster.context(oldLeader)
    let stale = Task {
      try await storage.write(
        context, [.put(.default, key: Data("lost".utf8), value: Data("x".utf8))])
    }
    try await cluster.put("during", "2")
    cluster.transport.heal()
    do {
      try await withTimeout(.seconds(10)) { try await stale.value }
      Issue.record("the overwritten write succeeded")
    } catch let error as RegionError {
      #expect(error.error.hasStaleCommand || error.error.hasNotLeader)
    }
    #expect(try await cluster.get("lost") == nil)
  }

  @Test func deposedLeadersProposalsPastTheNewLogFailToo() async throws {
    let cluster = try Cluster(count: 3)
    try await cluster.put("before", "1")
    let oldLeader = try await cluster.leader()
    let store = try #require(cluster.stores[oldLeader])
    cluster.transport.isolate(oldLeader)
    let storage = RaftStorage(store: store)
    let context = cluster.context(oldLeader)
    // Five entries on the isolated leader; the new leader writes fewer, so some of the old
    // indexes are never reached by a committed entry: they fail by term, not by index.
    let stale = (0..<5).map { i in
      Task {
        try await storage.write(
          context, [.put(.default, key: Data("lost-\(i)".utf8), value: Data("x".utf8))])
      }
    }
    try await cluster.put("during", "2")
    cluster.transport.heal()
    for task in stale {
      do {
        try await withTimeout(.seconds(10)) { try await task.value }
        Issue.record("a deposed leader's write succeeded")
      } catch let error as RegionError {
        #expect(error.error.hasStaleCommand || error.error.hasNotLeader)
      }
    }
  }

  @Test func acknowledgedWritesSurviveRestartingEveryStore() async throws {
    let cluster = try Cluster(count: 3)
    for i in 0..<30 { try await cluster.put("p\(i)", "v\(i)") }
    for id in cluster.storeIDs { cluster.stop(id) }
    for id in cluster.storeIDs { try cluster.start(id) }
    for i in [0, 14, 29] { #expect(try await cluster.get("p\(i)") == "v\(i)") }
    try await cluster.put("after", "restart")
    #expect(try await cluster.get("after") == "restart")
  }

  @Test func crashedFollowerCatchesUpAfterRestart() async throws {
    let cluster = try Cluster(count: 3)
    try await cluster.put("a", "1")
    let leader = try await cluster.leader()
    let follower = try #require(cluster.storeIDs.first { $0 != leader })
    cluster.stop(follower)
    for i in 0..<10 { try await cluster.put("b\(i)", "\(i)") }
    try cluster.start(follower)
    try await eventually("the restarted follower applies what it missed") {
      try (0..<10).allSatisfy { try cluster.local(follower, "b\($0)") == "\($0)" }
    }
  }
}
