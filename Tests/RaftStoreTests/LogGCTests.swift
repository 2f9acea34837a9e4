import Foundation
import TestSupport
import Testing

@testable import RaftStore

/// The log is compacted on every store while writes go on, and what is compacted leaves the
/// raft engine.
@Suite(.serialized) struct LogGCTests {
  @Test func raftEngineStaysBoundedUnderSteadyWrites() async throws {
    let cluster = try Cluster(count: 3)
    for i in 0..<150 { try await cluster.put("k\(i)", "v\(i)") }
    for id in cluster.storeIDs {
      try await eventually("store \(id) compacted its log and deleted the entries") {
        guard let truncated = try cluster.applyState(id)?.truncatedState.index else {
          return false
        }
        let indexes = try cluster.logIndexes(id)
        // Everything at or below the truncated index is gone; what is left is the recent tail.
        return truncated > 100 && indexes.allSatisfy { $0 > truncated } && indexes.count < 60
      }
    }
    for i in [0, 75, 149] { #expect(try await cluster.get("k\(i)") == "v\(i)") }
  }

  @Test func healthyFollowersKeepTheLogTheyNeed() async throws {
    // Below the count limit the leader compacts only what every follower holds: nobody needs a
    // snapshot.
    var config = Cluster.testConfig
    config.raftLogGCCountLimit = 10_000
    let cluster = try Cluster(count: 3, config: config)
    for i in 0..<60 { try await cluster.put("k\(i)", "v\(i)") }
    try await eventually("the log is compacted") {
      try cluster.storeIDs.allSatisfy {
        try (cluster.applyState($0)?.truncatedState.index ?? 0) > 30
      }
    }
    #expect(cluster.transport.snapshotsDelivered == 0)
  }

  @Test func compactedLogsRecoverAfterEveryStoreCrashes() async throws {
    let cluster = try Cluster(count: 3)
    for i in 0..<80 { try await cluster.put("k\(i)", "v\(i)") }
    for id in cluster.storeIDs {
      try await eventually("store \(id) deleted compacted entries") {
        let truncated = try cluster.applyState(id)?.truncatedState.index ?? 0
        let first = try cluster.logIndexes(id).first ?? .max
        return truncated > 40 && first > truncated
      }
    }
    // Engines closed without a flush: only what the WALs hold survives, as after a crash.
    for id in cluster.storeIDs { cluster.stop(id) }
    for id in cluster.storeIDs { try cluster.start(id) }
    for i in [0, 40, 79] { #expect(try await cluster.get("k\(i)") == "v\(i)") }
    try await cluster.put("after", "restart")
    for id in cluster.storeIDs {
      try await eventually("store \(id) applies after the restart") {
        try cluster.local(id, "after") == "restart"
      }
    }
  }
}
