import Client
import Foundation
import TestSupport
import Testing
import TinyKVProto

/// Transactions over the fake cluster: regions 1 = [, "g") on store 1, 2 = ["g", "n") on
/// store 2, 3 = ["n", ) on store 3 (in region space, `memcomparable(key)`), the transactional
/// commands run by the real `TransactionHandler`.
@Suite("Cluster transactions")
struct ClusterTxnTests {
  /// One key in each region.
  let spread = ["a", "h", "p"]

  @Test("a transaction over three regions commits atomically")
  func commitsAcrossRegions() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      let before = try await client.begin()
      let writer = try await client.begin()
      for key in spread { writer.put(bytes(key), bytes("v" + key)) }
      let commitTS = try await writer.commit()
      #expect(commitTS > writer.startTS)
      for key in spread { #expect(try await before.get(bytes(key)) == nil) }
      let after = try await client.begin()
      for key in spread { #expect(try await after.get(bytes(key)) == bytes("v" + key)) }
      for store: UInt64 in 1...3 { #expect(cluster.served("prewrite", by: store) == 1) }
      #expect(try await cluster.lockedKeys(spread).isEmpty)
    }
  }

  @Test("a key the directory knows no region for at first is located again until it does")
  func regionMissingForAMomentIsWaitedFor() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, _ in
      // The scheduler heard of a split from one side only: for a moment no region holds the
      // keys of the last one.
      let hidden = cluster.directory.state.withLock { state in
        state.regions.removeLast()
      }
      let restore = Task {
        try await Task.sleep(for: .milliseconds(100))  // the moment the directory lacks it
        cluster.directory.state.withLock { $0.regions.append(hidden) }
      }
      let writer = try await client.begin()
      for key in spread { writer.put(bytes(key), bytes("v" + key)) }
      _ = try await writer.commit()
      try await restore.value
      let after = try await client.begin()
      for key in spread { #expect(try await after.get(bytes(key)) == bytes("v" + key)) }
    }
  }

  @Test("of two transactions writing the same key, the later one fails retryably")
  func conflictIsRetryable() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      let first = try await client.begin()
      let second = try await client.begin()
      first.put(bytes("h"), bytes("first"))
      second.put(bytes("a"), bytes("second"))
      second.put(bytes("h"), bytes("second"))
      try await first.commit()
      let error = await #expect(throws: TxnClientError.self) { try await second.commit() }
      #expect(error?.code == .conflict)
      #expect(error?.isRetryable == true)
      // The failed transaction left no lock behind, in any region.
      #expect(try await cluster.lockedKeys(["a", "h"]).isEmpty)
      #expect(try await client.begin().get(bytes("h")) == bytes("first"))
      #expect(try await client.begin().get(bytes("a")) == nil)
    }
  }

  @Test("a lock that stays alive ends in a retryable error")
  func liveLockIsRetryable() async throws {
    try await FakeCluster.run { cluster in
      let clock = HybridClock()
      // The holder's lock must outlive the blocked transaction's retries however slow the
      // machine: a 10-minute TTL.
      try await cluster.withTxnClient(clock: clock, options: .impatient(lockTTL: 600_000)) {
        client in
        let holder = try await client.begin()
        holder.put(bytes("h"), bytes("held"))
        try await holder.prewrite()
        let blocked = try await client.begin()
        blocked.put(bytes("h"), bytes("blocked"))
        let error = await #expect(throws: TxnClientError.self) { try await blocked.commit() }
        #expect(error?.code == .tooManyRetries)
        #expect(error?.isRetryable == true)
        try await holder.commitPrewritten()
        #expect(try await client.begin().get(bytes("h")) == bytes("held"))
      }
    }
  }

  @Test("a reader meeting a lock whose primary committed reads the committed value")
  func readerCommitsSecondaries() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      let writer = try await client.begin()
      for key in spread { writer.put(bytes(key), bytes("v" + key)) }
      try await writer.prewrite()
      // The writer commits its primary ("a") and dies before the secondaries.
      var commit = Kvrpcpb_CommitRequest()
      commit.startVersion = writer.startTS
      commit.commitVersion = clock.timestamp()
      commit.keys = [bytes("a")]
      #expect(!(try await cluster.transactions.commit(commit).hasError))
      #expect(try await cluster.lockedKeys(spread) == ["h", "p"])

      let reader = try await client.begin()
      #expect(try await reader.get(bytes("h")) == bytes("vh"))
      #expect(try await reader.get(bytes("p")) == bytes("vp"))
      #expect(try await cluster.lockedKeys(spread).isEmpty)
      // The status was asked of the primary's region, the locks resolved in their regions.
      #expect(cluster.served("check status", by: 1) >= 1)
      #expect(cluster.served("resolve lock", by: 2) >= 1)
    }
  }

  @Test("a reader rolls back the lock of an expired, uncommitted transaction")
  func readerRollsBackExpiredLock() async throws {
    try await FakeCluster.run { cluster in
      let clock = HybridClock()
      try await cluster.withTxnClient(clock: clock, options: .impatient(lockTTL: 1)) { crashed in
        let writer = try await crashed.begin()
        for key in spread { writer.put(bytes(key), bytes("lost")) }
        try await writer.prewrite()
        try await cluster.withTxnClient(clock: clock) { client in
          let reader = try await client.begin()
          #expect(try await reader.get(bytes("h")) == nil)
          #expect(try await reader.scan(from: Data(), limit: 10).isEmpty)
        }
        #expect(try await cluster.lockedKeys(spread).isEmpty)
        let error = await #expect(throws: TxnClientError.self) {
          try await writer.commitPrewritten()
        }
        #expect(error?.code == .aborted)
      }
    }
  }

  @Test("a split in the middle of the prewrite regroups the keys and the commit succeeds")
  func splitDuringPrewriteRegroups() async throws {
    let keys = ["a", "h", "i", "l", "m"]
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      // Once the primary's group ("a", region 1 on store 1) is prewritten, region 2 splits:
      // the secondaries' group, addressed to ["g", "n") at version 1, meets EpochNotMatch.
      cluster.store(1).afterServing("prewrite") {
        cluster.split(region: 2, at: "k", newID: 4, newLeader: 3)
      }
      let txn = try await client.begin()
      for key in keys { txn.put(bytes(key), bytes("v" + key)) }
      try await txn.commit()
      let reader = try await client.begin()
      for key in keys { #expect(try await reader.get(bytes(key)) == bytes("v" + key)) }
      // The stale group was refused by store 2, then "h", "i" prewritten in region 2 and
      // "l", "m" in the new region 4, led by store 3.
      #expect(cluster.store(2).requests > cluster.served("prewrite", by: 2))
      #expect(cluster.served("prewrite", by: 2) == 1)
      #expect(cluster.served("prewrite", by: 3) == 1)
      #expect(cluster.store(3).served.contains { $0.region == 4 })
      #expect(try await cluster.lockedKeys(keys).isEmpty)
    }
  }

  @Test("scans cross region boundaries, bounded by end and limit")
  func scansAcrossRegions() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      try await client.run { txn in
        for key in ["a", "b", "h", "i", "p", "q"] { txn.put(bytes(key), bytes("v" + key)) }
      }
      let txn = try await client.begin()
      let all = try await txn.scan(from: Data(), limit: 100)
      #expect(all.map(\.key) == ["a", "b", "h", "i", "p", "q"].map(bytes))
      #expect(all.map(\.value) == ["va", "vb", "vh", "vi", "vp", "vq"].map(bytes))
      let bounded = try await txn.scan(from: bytes("b"), to: bytes("q"), limit: 100)
      #expect(bounded.map(\.key) == ["b", "h", "i", "p"].map(bytes))
      let limited = try await txn.scan(from: Data(), limit: 3)
      #expect(limited.map(\.key) == ["a", "b", "h"].map(bytes))
    }
  }

  @Test("rollback removes the locks of every region")
  func rollbackCleansEveryRegion() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      let txn = try await client.begin()
      for key in spread { txn.put(bytes(key), bytes("v")) }
      try await txn.prewrite()
      #expect(try await cluster.lockedKeys(spread) == spread)
      try await txn.rollback()
      #expect(try await cluster.lockedKeys(spread).isEmpty)
      await #expect(throws: TxnClientError.self) { try await txn.commitPrewritten() }
      for key in spread { #expect(try await client.begin().get(bytes(key)) == nil) }
      for store: UInt64 in 1...3 { #expect(cluster.served("rollback", by: store) == 1) }
    }
  }

  @Test("run retries a conflicting transaction until it commits")
  func runRetriesConflicts() async throws {
    try await FakeCluster.runWithTxnClient { cluster, client, clock in
      try await client.run { txn in txn.put(bytes("h"), bytes("0")) }
      // Eight increments of one counter race; each must land exactly once.
      try await withThrowingTaskGroup(of: Void.self) { tasks in
        for _ in 0..<8 {
          tasks.addTask {
            try await client.run(attempts: 100) { txn in
              let value = try await txn.get(bytes("h")).map {
                String(decoding: $0, as: UTF8.self)
              }
              let next = (Int(value ?? "0") ?? 0) + 1
              txn.put(bytes("h"), bytes(String(next)))
              txn.put(bytes("p"), bytes(String(next)))
            }
          }
        }
        try await tasks.waitForAll()
      }
      let reader = try await client.begin()
      #expect(try await reader.get(bytes("h")) == bytes("8"))
      #expect(try await reader.get(bytes("p")) == bytes("8"))
    }
  }
}
