import Client
import Engine
import Foundation
import TestSupport
import Testing
import TinyKVProto

@Suite("A replicated cluster over gRPC", .serialized)
struct ReplicatedClusterTests {
  /// Runs `body` with a started 3-store cluster and its leader, shutting it down after.
  func withCluster(_ body: (GRPCCluster, UInt64) async throws -> Void) async throws {
    let cluster = try await GRPCCluster()
    try await withCleanup {
      try await body(cluster, try await cluster.leader())
    } cleanup: {
      await cluster.shutdown()
    }
  }

  @Test("raw put, get, delete and scan through the leader are replicated to every store")
  func rawReplicated() async throws {
    try await withCluster { cluster, leader in
      try await cluster.withRawClient(leader) { client in
        for index in 0..<10 {
          try await client.put(Data("key-\(index)".utf8), Data("value-\(index)".utf8))
        }
        try await client.delete(Data("key-3".utf8))
        #expect(try await client.get(Data("key-1".utf8)) == Data("value-1".utf8))
        #expect(try await client.get(Data("key-3".utf8)) == nil)
        let pairs = try await client.scan(from: Data("key-".utf8), limit: 100)
        #expect(pairs.count == 9)
        #expect(pairs.first?.key == Data("key-0".utf8))
      }
      for id in cluster.storeIDs {
        try await eventually("store \(id) to apply the writes") {
          try cluster.local(id, "key-9") == "value-9" && cluster.local(id, "key-3") == nil
        }
      }
    }
  }

  @Test("transactions commit through the leader, read back, and are on every store")
  func transactions() async throws {
    try await withCluster { cluster, leader in
      try await GRPCTxnRPC.connect(to: cluster.nodes[leader]!.server.address) { rpc in
        let client = TxnClient(
          rpc: RegionTxnRPC(base: rpc, context: cluster.context(leader)), oracle: HybridClock())
        try await client.run { txn in
          txn.put(Data("account-a".utf8), Data("100".utf8))
          txn.put(Data("account-b".utf8), Data("200".utf8))
        }
        let (a, b) = try await client.run { txn in
          (try await txn.get(Data("account-a".utf8)), try await txn.get(Data("account-b".utf8)))
        }
        #expect(a == Data("100".utf8))
        #expect(b == Data("200".utf8))
      }
      for id in cluster.storeIDs {
        try await eventually("store \(id) to apply both commit records") {
          try cluster.keyCount(id, .write) == 2 && cluster.keyCount(id, .lock) == 0
        }
      }
    }
  }

  @Test("a follower answers NotLeader naming the leader")
  func followerRedirects() async throws {
    try await withCluster { cluster, leader in
      let follower = try #require(cluster.storeIDs.first { $0 != leader })
      let error = await #expect(throws: KVClientError.self) {
        try await cluster.withRawClient(follower) { client in
          try await client.put(Data("k".utf8), Data("v".utf8))
        }
      }
      guard case .region(let regionError) = error else {
        Issue.record("expected a region error, got \(String(describing: error))")
        return
      }
      #expect(regionError.hasNotLeader)
      #expect(regionError.notLeader.leader.storeID == leader)
    }
  }

  @Test("writes go on while one follower's server is down, and it catches up when back")
  func followerDown() async throws {
    try await withCluster { cluster, leader in
      let follower = try #require(cluster.storeIDs.first { $0 != leader })
      await cluster.nodes[follower]!.server.stop()
      try await cluster.withRawClient(leader) { client in
        for index in 0..<20 {
          try await client.put(Data("down-\(index)".utf8), Data("\(index)".utf8))
        }
        #expect(try await client.get(Data("down-19".utf8)) == Data("19".utf8))
      }
      #expect(try cluster.local(follower, "down-19") == nil)
      try await cluster.nodes[follower]!.server.start()
      try await eventually("the follower to catch up") {
        try cluster.local(follower, "down-19") == "19"
      }
    }
  }
}
