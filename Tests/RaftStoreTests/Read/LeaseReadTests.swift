import Foundation
import Raft
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// Lease reads on the single-thread `SimCluster` with every store ticking together and the
/// lease clock moving with the ticks: what a partitioned leader serves against when another
/// can be elected.
@Suite struct LeaseReadTests {
  /// Ticks (and settles) until a leader exists.
  private func elect(_ cluster: SimCluster) throws -> UInt64 {
    for _ in 0..<200 {
      if let leader = cluster.leader() { return leader }
      cluster.tickAll()
      try cluster.settle()
    }
    throw TestFailure("no leader after 200 ticks\n\(cluster.describePeers())")
  }

  /// Writes `key = value` through store `via` and settles; the write must succeed.
  private func write(_ cluster: SimCluster, _ key: String, _ value: String, via: UInt64) throws {
    let number = cluster.propose(key, value, via: via)
    try cluster.settle()
    let outcome = cluster.outcomes.state.withLock { $0[number] }
    guard case .success = outcome else {
      throw TestFailure("the write of \(value) via \(via) ended \(String(describing: outcome))")
    }
  }

  /// Partitions the leader after a write and ticks: for each tick, whether the old leader still
  /// serves lease reads and whether another store leads. Stops at the first new leader.
  private func partitionLeader(lease: Duration, seed: UInt64) throws
    -> (old: UInt64, ticks: [(serves: Bool, newLeader: Bool)])
  {
    let cluster = try SimCluster(count: 3, seed: seed, leaderLease: lease)
    let old = try elect(cluster)
    try write(cluster, "k", "v1", via: old)
    #expect(try cluster.leaseRead(old, "k") == .some("v1"), "a fresh leader serves locally")
    cluster.isolated = old
    var ticks: [(serves: Bool, newLeader: Bool)] = []
    for _ in 0..<300 {
      cluster.tickAll()
      try cluster.settle()
      let newLeader = cluster.storeIDs.contains { id in
        id != old && cluster.stores[id]?.poller.peers[Cluster.regionID]?.node.role == .leader
      }
      ticks.append((try cluster.leaseRead(old, "k") != nil, newLeader))
      if newLeader { break }
    }
    return (old, ticks)
  }

  @Test(arguments: [UInt64(1), 2, 3, 4, 5])
  func partitionedLeaderStopsServingBeforeAnotherIsElected(seed: UInt64) throws {
    let lease = try #require(SimCluster.config.effectiveLeaderLease)
    let (_, ticks) = try partitionLeader(lease: lease, seed: seed)
    let elected = try #require(
      ticks.firstIndex { $0.newLeader }, "seed \(seed): no new leader in \(ticks.count) ticks")
    let stopped = try #require(ticks.firstIndex { !$0.serves }, "seed \(seed): never stopped")
    #expect(stopped < elected, "seed \(seed): stopped at tick \(stopped), elected at \(elected)")
    for (tick, state) in ticks.enumerated() {
      #expect(!(state.serves && state.newLeader), "seed \(seed): tick \(tick) had two leaders")
    }
  }

  /// The check above can fail: a lease three times the safe limit outlives the leadership.
  @Test func anUnsafeLeaseOverlapsTheNextLeader() throws {
    let (_, ticks) = try partitionLeader(lease: SimCluster.config.leaseLimit * 3, seed: 1)
    #expect(ticks.contains { $0.serves && $0.newLeader })
  }

  @Test func leadershipTransferEndsTheLeaseAtOnce() throws {
    let cluster = try SimCluster(count: 3, seed: 7, leaderLease: SimCluster.config.leaseLimit)
    let old = try elect(cluster)
    try write(cluster, "k", "v1", via: old)
    #expect(try cluster.leaseRead(old, "k") == .some("v1"))
    let store = try #require(cluster.stores[old])
    let peer = try #require(store.poller.peers[Cluster.regionID])
    let target = try #require(peer.region.peers.first { $0.storeID != old })
    store.router.send(
      .transferLeader(to: target, epoch: peer.region.regionEpoch), to: Cluster.regionID)
    store.poller.poll(wait: false)
    #expect(try cluster.leaseRead(old, "k") == nil, "the transferee may campaign at once")
    try cluster.settle()
    #expect(cluster.leader() == target.storeID)
    #expect(try cluster.leaseRead(old, "k") == nil)
  }

  /// A new leader's lease comes with its first entry (the empty one of its term): committed by
  /// a quorum and applied, it serves what the old leader acknowledged.
  @Test func aNewLeaderServesOnceItsFirstEntryIsApplied() throws {
    let cluster = try SimCluster(count: 3, seed: 11, leaderLease: SimCluster.config.leaseLimit)
    let old = try elect(cluster)
    try write(cluster, "k", "v1", via: old)
    cluster.isolated = old
    var newLeader: UInt64?
    for _ in 0..<300 where newLeader == nil {
      cluster.tickAll()
      try cluster.settle()
      newLeader = cluster.storeIDs.first { id in
        id != old && cluster.stores[id]?.poller.peers[Cluster.regionID]?.node.role == .leader
      }
    }
    let leader = try #require(newLeader)
    #expect(try cluster.leaseRead(leader, "k") == .some("v1"))
    try write(cluster, "k", "v2", via: leader)
    #expect(try cluster.leaseRead(leader, "k") == .some("v2"))
    #expect(try cluster.leaseRead(old, "k") == nil)
  }
}
