import Foundation
import Storage
import Testing
import TinyKVProto

@testable import RaftStore

/// A leader that steps down in the middle of a poll round, after taking a write and before
/// the round proposes it: the write must be refused as `NotLeader` (never proposed), not
/// crash the store (a chaos run once hit "a batch of 1 proposals was not appended").
@Suite struct StepDownInRoundTests {
  @Test("a write taken before a higher term's message in the same round is refused, not proposed")
  func writeBeforeStepDownRefused() throws {
    let cluster = try SimCluster(count: 3, seed: 11)
    // Elect a leader and let it settle.
    var leaderID: UInt64?
    try cluster.run(maxSteps: 50_000) {
      leaderID = cluster.stores.first { _, store in
        store.poller.peers[Cluster.regionID]?.node.role == .leader
      }?.key
      return leaderID != nil
    }
    let leader = try #require(leaderID)
    let peer = try #require(cluster.stores[leader]?.poller.peers[Cluster.regionID])
    let other = try #require(peer.region.peers.first { $0.storeID != leader })

    // One round's mailbox: a write, then a heartbeat of a newer term from another peer.
    let write = cluster.propose("k", "v", via: leader)
    var heartbeat = RaftServerpb_RaftMessage()
    heartbeat.regionID = Cluster.regionID
    heartbeat.fromPeer = other
    heartbeat.toPeer = peer.meta
    heartbeat.regionEpoch = peer.region.regionEpoch
    heartbeat.message.msgType = .msgHeartbeat
    heartbeat.message.from = other.id
    heartbeat.message.to = peer.meta.id
    heartbeat.message.term = peer.node.term + 1
    cluster.stores[leader]!.router.deliver(heartbeat)
    let lastIndex = peer.node.lastIndex
    cluster.stores[leader]!.poller.poll(wait: false)

    #expect(peer.node.role != .leader)
    #expect(peer.node.lastIndex == lastIndex, "the write was appended after stepping down")
    let outcome = try #require(cluster.outcomes.state.withLock { $0[write] })
    guard case .failure(let error as RegionError) = outcome else {
      Issue.record("the write was answered \(outcome)")
      return
    }
    #expect(error.error.hasNotLeader)
  }
}
