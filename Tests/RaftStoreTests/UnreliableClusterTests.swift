import Foundation
import Storage
import TestSupport
import Testing

@testable import RaftStore

/// Clients keep writing while the network drops messages or partitions; every acknowledged
/// write must be read back afterwards (each client owns its keys, so the last acknowledged
/// value of a key is the only one it may have).
@Suite(.serialized) struct UnreliableClusterTests {
  /// Runs `clients` clients, each putting `rounds` values of its own key through `put`, and
  /// returns each key's last acknowledged value.
  static func runClients(_ cluster: Cluster, clients: Int, rounds: Int) async throws -> [String:
    String]
  {
    var acknowledged: [String: String] = [:]
    for round in 0..<rounds {
      for client in 0..<clients {
        let key = "client-\(client)"
        let value = "\(round)"
        try await cluster.put(key, value, within: .seconds(15))
        acknowledged[key] = value
      }
    }
    return acknowledged
  }

  @Test(arguments: [UInt64(7), 8])
  func writesSurviveALossyNetwork(seed: UInt64) async throws {
    print("UnreliableClusterTests.writesSurviveALossyNetwork seed \(seed)")
    let cluster = try Cluster(count: 3, seed: seed)
    cluster.transport.drop(percent: 10)
    let acknowledged = try await Self.runClients(cluster, clients: 3, rounds: 10)
    cluster.transport.heal()
    for (key, value) in acknowledged {
      #expect(try await cluster.get(key) == value, "seed \(seed)")
    }
  }

  @Test func writesSurviveRepeatedPartitions() async throws {
    let cluster = try Cluster(count: 5)
    var acknowledged: [String: String] = [:]
    for round in 0..<4 {
      // Cut the current leader and one follower off from the other three.
      let leader = try await cluster.leader()
      let partner = cluster.storeIDs.first { $0 != leader }!
      for a in [leader, partner] {
        for b in cluster.storeIDs where b != leader && b != partner {
          cluster.transport.cut(from: a, to: b)
          cluster.transport.cut(from: b, to: a)
        }
      }
      let key = "round-\(round)"
      let by = try await cluster.put(key, "\(round)", within: .seconds(15))
      #expect(by != leader && by != partner)
      acknowledged[key] = "\(round)"
      cluster.transport.heal()
    }
    for (key, value) in acknowledged { #expect(try await cluster.get(key) == value) }
    for id in cluster.storeIDs {
      try await eventually("store \(id) has every write") {
        try acknowledged.allSatisfy { try cluster.local(id, $0.key) == $0.value }
      }
    }
  }

  @Test func restartsOfSomeStoresUnderLossKeepAcknowledgedWrites() async throws {
    let cluster = try Cluster(count: 3, seed: 3)
    cluster.transport.drop(percent: 5)
    var acknowledged: [String: String] = [:]
    for round in 0..<3 {
      let victim = UInt64(round % 3) + 1
      for i in 0..<5 {
        try await cluster.put("r\(round)-\(i)", "v", within: .seconds(15))
        acknowledged["r\(round)-\(i)"] = "v"
      }
      cluster.stop(victim)
      try await cluster.put("down-\(round)", "v", within: .seconds(15))
      acknowledged["down-\(round)"] = "v"
      try cluster.start(victim)
    }
    cluster.transport.heal()
    for (key, value) in acknowledged { #expect(try await cluster.get(key) == value) }
  }
}
