import Foundation
import TestSupport
import Testing

@testable import RaftStore

/// Followers that miss a compacted part of the log catch up through snapshots, across
/// restarts, message loss and partitions (after TinyKV's snapshot scenarios).
@Suite(.serialized) struct SnapshotClusterTests {
  /// Puts `count` keys `prefix-i` through the leader.
  /// - Returns: the values acknowledged.
  static func putMany(_ cluster: Cluster, _ prefix: String, _ count: Int) async throws
    -> [String: String]
  {
    var acknowledged: [String: String] = [:]
    for i in 0..<count {
      try await cluster.put("\(prefix)-\(i)", "\(i)", within: .seconds(15))
      acknowledged["\(prefix)-\(i)"] = "\(i)"
    }
    return acknowledged
  }

  /// Waits until every store holds every acknowledged value.
  static func expectEverywhere(_ cluster: Cluster, _ acknowledged: [String: String]) async throws {
    for id in cluster.storeIDs {
      try await eventually("store \(id) has every acknowledged write", timeout: .seconds(20)) {
        try acknowledged.allSatisfy { try cluster.local(id, $0.key) == $0.value }
      }
    }
  }

  @Test func partitionedFollowerCatchesUpThroughASnapshot() async throws {
    let cluster = try Cluster(count: 3)
    try await cluster.put("before", "1")
    let leader = try await cluster.leader()
    let follower = try #require(cluster.storeIDs.first { $0 != leader })
    cluster.transport.isolate(follower)
    var acknowledged = try await Self.putMany(cluster, "during", 80)
    acknowledged["before"] = "1"
    // The others compacted past everything the follower has: only a snapshot can help it.
    let followerLast = try #require(try cluster.applyState(follower)).appliedIndex
    try await eventually("the leader compacted past the follower") {
      try (cluster.applyState(leader)?.truncatedState.index ?? 0) > followerLast
    }
    cluster.transport.heal()
    try await Self.expectEverywhere(cluster, acknowledged)
    #expect(cluster.transport.snapshotsDelivered > 0)
    #expect(try (cluster.applyState(follower)?.truncatedState.index ?? 0) > followerLast)
    // The follower serves as leader with the snapshot's data and the log after it.
    try await cluster.put("after", "2")
    try await eventually("the follower applied the write after the snapshot") {
      try cluster.local(follower, "after") == "2"
    }
  }

  @Test func snapshotsSurviveRestartingSomeAndAllStores() async throws {
    let cluster = try Cluster(count: 3)
    var acknowledged: [String: String] = [:]
    for round in 0..<3 {
      let leader = try await cluster.leader()
      let victim = try #require(cluster.storeIDs.first { $0 != leader })
      let victimApplied = try #require(try cluster.applyState(victim)).appliedIndex
      cluster.stop(victim)
      acknowledged.merge(try await Self.putMany(cluster, "r\(round)", 50)) { $1 }
      try await eventually("the leader compacted past the stopped store") {
        try (cluster.applyState(leader)?.truncatedState.index ?? 0) > victimApplied
      }
      try cluster.start(victim)
    }
    try await Self.expectEverywhere(cluster, acknowledged)
    #expect(cluster.transport.snapshotsDelivered > 0)
    for id in cluster.storeIDs { cluster.stop(id) }
    for id in cluster.storeIDs { try cluster.start(id) }
    try await Self.expectEverywhere(cluster, acknowledged)
    for key in ["r0-0", "r2-49"] { #expect(try await cluster.get(key) == acknowledged[key]) }
  }

  @Test(arguments: [UInt64(5), 6])
  func snapshotsUnderLossAndConcurrentPartitions(seed: UInt64) async throws {
    print("SnapshotClusterTests.snapshotsUnderLossAndConcurrentPartitions seed \(seed)")
    let cluster = try Cluster(count: 5, seed: seed)
    cluster.transport.drop(percent: 10)
    var acknowledged: [String: String] = [:]
    var random = seed
    for round in 0..<3 {
      // Cut two stores (maybe the leader) off from the other three while writes go on.
      random = random &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      let minority =
        [cluster.storeIDs[Int(random >> 33) % 5]]
        + [cluster.storeIDs[Int((random >> 40) + 1) % 5]]
      for a in Set(minority) {
        for b in cluster.storeIDs where !minority.contains(b) {
          cluster.transport.cut(from: a, to: b)
          cluster.transport.cut(from: b, to: a)
        }
      }
      acknowledged.merge(try await Self.putMany(cluster, "r\(round)", 60)) { $1 }
      cluster.transport.heal()
      cluster.transport.drop(percent: 10)
    }
    cluster.transport.heal()
    try await Self.expectEverywhere(cluster, acknowledged)
    #expect(cluster.transport.snapshotsDelivered > 0, "seed \(seed)")
  }
}
