import Foundation
import Storage
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// The interleaving that applied a write twice (issue 15), scripted step by step on the
/// single-thread `SimCluster`: a leader appends a put and reaches one follower only, dies
/// before answering; that follower wins the election and commits the put; another client
/// overwrites the key; then the first client, who never heard back, resends its put.
@Suite struct DoubleApplyScenarioTests {
  private static let key = "k"

  private func session(_ id: UInt64, _ sequence: UInt64, resend: Bool = false)
    -> Kvrpcpb_WriteSession
  {
    Kvrpcpb_WriteSession(id: id, sequence: sequence, completedBelow: sequence, resend: resend)
  }

  /// The store whose peer of the region leads, if one does.
  private func leader(_ cluster: SimCluster) -> UInt64? {
    cluster.stores.first { _, store in
      store.poller.peers[Cluster.regionID]?.node.role == .leader
    }?.key
  }

  /// Proposes through random stores until one write is acknowledged.
  private func acknowledge(
    _ cluster: SimCluster, _ value: String, session: Kvrpcpb_WriteSession?
  ) throws {
    for _ in 0..<50 {
      let number = cluster.propose(Self.key, value, session: session)
      try cluster.run(maxSteps: 20_000) {
        cluster.outcomes.state.withLock { $0[number] != nil }
      }
      if case .success = cluster.outcomes.state.withLock({ $0[number]! }) { return }
    }
    throw TestFailure("seed \(cluster.seed): \(value) was never acknowledged")
  }

  /// Runs the interleaving, resending the lost put with `resend` (a session, or none), and
  /// returns the key's value on the two survivors after the resend was acknowledged.
  private func scenario(seed: UInt64, resend: Kvrpcpb_WriteSession?, first: Kvrpcpb_WriteSession?)
    throws -> [String?]
  {
    let cluster = try SimCluster(count: 3, seed: seed)
    try acknowledge(cluster, "start", session: session(77, 1))
    let old = try #require(leader(cluster))
    let survivors = cluster.storeIDs.filter { $0 != old }
    let (near, far) = (survivors[0], survivors[1])
    // Settle: nothing in flight, every store has applied "start".
    try cluster.run(maxSteps: 20_000) {
      try cluster.storeIDs.allSatisfy { try cluster.local($0, Self.key) == "start" }
    }
    cluster.transport.pending.withLock { $0 = [] }

    // The put of A is appended by the leader and reaches `near` only; the leader dies before
    // any answer comes back.
    let lost = cluster.propose(Self.key, "A", session: first, via: old)
    cluster.stores[old]!.poller.poll(wait: false)
    cluster.transport.pending.withLock { pending in
      pending.removeAll { !($0.toPeer.storeID == near && $0.message.msgType == .msgAppend) }
    }
    #expect(!cluster.transport.pending.withLock { $0.isEmpty }, "seed \(seed): no append sent")
    cluster.crash(old)
    // `near` holds the entry; `far` does not; `near` is elected and commits A.
    try cluster.run(maxSteps: 50_000) {
      try survivors.allSatisfy { try cluster.local($0, Self.key) == "A" }
    }
    #expect(cluster.outcomes.state.withLock { $0[lost] } != nil)
    if case .success = cluster.outcomes.state.withLock({ $0[lost]! }) {
      Issue.record("seed \(seed): the lost put was acknowledged")
    }
    _ = far
    // Another client overwrites the key.
    try acknowledge(cluster, "B", session: session(78, 1))
    // The first client resends its put.
    try acknowledge(cluster, "A", session: resend)
    try cluster.run(maxSteps: 20_000) {
      try Set(survivors.map { try cluster.local($0, Self.key) }).count == 1
    }
    return try survivors.map { try cluster.local($0, Self.key) }
  }

  @Test("a put resent within its session after its leader died is not applied again")
  func sessionResendNotReapplied() throws {
    for seed: UInt64 in [1, 2, 3] {
      let values = try scenario(
        seed: seed, resend: session(42, 2, resend: true), first: session(42, 2))
      #expect(values == ["B", "B"], "seed \(seed): the resent put was applied again")
    }
  }

  @Test("without a session the same resend is applied twice (what the client must not do)")
  func resendWithoutSessionAppliesTwice() throws {
    let values = try scenario(seed: 1, resend: nil, first: nil)
    #expect(values == ["A", "A"], "seed 1: the scenario no longer reproduces the double apply")
  }
}
