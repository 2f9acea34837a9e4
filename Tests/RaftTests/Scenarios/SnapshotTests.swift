import Foundation
import Testing
import TinyKVProto

@testable import Raft

func makeSnapshot(index: UInt64, term: UInt64, nodes: [UInt64]) -> Eraftpb_Snapshot {
  var s = Eraftpb_Snapshot()
  s.metadata.index = index
  s.metadata.term = term
  s.metadata.confState.nodes = nodes
  return s
}

/// Snapshots and log compaction (TinyKV 2C / etcd).
@Suite("Snapshots")
struct SnapshotTests {
  @Test func restoreReplacesLogAndMembership() throws {
    var r = newTestRaft(1, [1, 2])
    let s = makeSnapshot(index: 11, term: 11, nodes: [1, 2, 3])
    let restored = r.restore(s)
    #expect(restored)
    #expect(r.log.lastIndex == 11)
    #expect(try r.log.term(11) == 11)
    #expect(r.log.committed == 11)
    #expect(r.tracker.ids == [1, 2, 3])
    #expect(r.log.unstable.snapshot?.metadata.index == 11)
    // The same snapshot again is not news.
    let restoredAgain = r.restore(s)
    #expect(!restoredAgain)
  }

  /// A snapshot whose last entry we already hold only advances the commit index.
  @Test func restoreIgnoresSnapshotOfKnownEntries() throws {
    let storage = storageWithTerms([1, 1, 1])
    var r = newTestRaft(1, [1, 2], storage: storage)
    r.log.commit(to: 1)
    let s = makeSnapshot(index: 1, term: 1, nodes: [1, 2])
    let restored1 = r.restore(s)
    #expect(!restored1)
    #expect(r.log.committed == 1)
    let s2 = makeSnapshot(index: 2, term: 1, nodes: [1, 2])
    let restored = r.restore(s2)
    #expect(!restored)
    #expect(r.log.committed == 2)
    #expect(r.log.lastIndex == 3)
  }

  @Test func restoreRejectsSnapshotExcludingSelf() {
    var r = newTestRaft(1, [1, 2])
    let restored = r.restore(makeSnapshot(index: 11, term: 11, nodes: [2, 3]))
    #expect(!restored)
    #expect(r.log.lastIndex == 0)
  }

  /// A follower behind the leader's first index is sent a snapshot.
  @Test func leaderSendsSnapshotToLaggingFollower() throws {
    let storage = MemoryStorage()
    var r = newTestRaft(1, [1], storage: storage)
    let restored = r.restore(makeSnapshot(index: 11, term: 11, nodes: [1, 2]))
    #expect(restored)
    try storage.applySnapshot(r.log.unstable.snapshot!)
    r.log.stableSnapshot(to: 11)
    r.becomeCandidate()
    r.becomeLeader()
    // Node 2 needs entries before the first index.
    r.tracker.progress[2]!.next = r.log.firstIndex
    r.stepIgnoringError(
      msg(
        .msgAppendResponse, from: 2, to: 1, term: r.term,
        index: r.tracker.progress[2]!.next - 1, reject: true))
    let msgs = r.readMessages()
    #expect(msgs.count == 1)
    #expect(msgs.first?.msgType == .msgSnapshot)
    #expect(msgs.first?.snapshot.metadata.index == 11)
    #expect(r.tracker.progress[2]!.state == .snapshot)
    #expect(r.tracker.progress[2]!.pendingSnapshot == 11)
  }

  /// No snapshot goes to a follower that has not answered recently.
  @Test func leaderHoldsSnapshotForInactiveFollower() throws {
    let storage = MemoryStorage()
    var r = newTestRaft(1, [1], storage: storage)
    let restored = r.restore(makeSnapshot(index: 11, term: 11, nodes: [1, 2]))
    #expect(restored)
    try storage.applySnapshot(r.log.unstable.snapshot!)
    r.log.stableSnapshot(to: 11)
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.readMessages()
    r.tracker.progress[2]!.next = r.log.firstIndex - 1
    r.tracker.progress[2]!.recentActive = false
    r.sendAppend(to: 2)
    #expect(r.readMessages().isEmpty)
    #expect(r.tracker.progress[2]!.state == .probe)
  }

  @Test func followerRestoresFromSnapshotMessage() {
    let s = makeSnapshot(index: 11, term: 11, nodes: [1, 2])
    var r = newTestRaft(2, [1, 2])
    r.stepIgnoringError(msgWithSnapshot(s, from: 1, to: 2, term: 2))
    #expect(r.lead == 1)
    #expect(r.log.committed == 11)
    let resp = r.readMessages()
    #expect(resp.count == 1)
    #expect(resp.first?.msgType == .msgAppendResponse)
    #expect(resp.first?.index == 11)
  }

  @Test func followerTakesMembershipFromSnapshot() {
    let s = makeSnapshot(index: 11, term: 11, nodes: [2, 3, 4])
    var r = newTestRaft(2, [1, 2, 3])
    r.stepIgnoringError(msgWithSnapshot(s, from: 1, to: 2, term: 2))
    #expect(r.lead == 1)
    #expect(r.tracker.ids == [2, 3, 4])
  }

  /// A follower that was away while the leader compacted its log catches up by snapshot.
  @Test func slowNodeCatchesUpBySnapshot() throws {
    var net = Network(size: 3)
    net.send(hup(1))
    net.isolate(3)
    for _ in 0...100 { net.send(proposal("")) }
    let storage = net.storage[1]!
    _ = net.peers[1]!.persistAndApply()
    let applied = net[1].log.applied
    var cs = Eraftpb_ConfState()
    cs.nodes = net[1].tracker.ids
    try storage.createSnapshot(index: applied, confState: cs)
    try storage.compact(applied)
    net.recover()
    // A heartbeat round lets the leader see 3 is active again.
    net.send(msg(.msgBeat, from: 1, to: 1))
    net.send(proposal(""))
    net.send(proposal(""))
    #expect(net[3].log.committed == net[1].log.committed)
    #expect(net[3].log.unstable.snapshot?.metadata.index == applied)
  }

  @Test func failedSnapshotReportProbesAgain() throws {
    let storage = MemoryStorage()
    var node = try RawNode(config: newTestConfig(1, [1], storage: storage))
    node.raft.becomeCandidate()
    node.raft.becomeLeader()
    node.raft.addNode(2)
    node.raft.tracker.progress[2]!.becomeSnapshot(10)
    node.reportSnapshot(2, succeeded: false)
    let pr = node.raft.tracker.progress[2]!
    #expect(pr.state == .probe)
    #expect(pr.pendingSnapshot == 0)
    #expect(pr.probeSent)
    #expect(pr.next == 1)

    node.raft.tracker.progress[2]!.becomeSnapshot(10)
    node.reportSnapshot(2, succeeded: true)
    #expect(node.raft.tracker.progress[2]!.state == .probe)
    #expect(node.raft.tracker.progress[2]!.next == 11)
  }

  /// The snapshot's entries count as applied once the Ready carrying it is advanced.
  @Test func snapshotReadyAdvancesApplied() throws {
    let storage = MemoryStorage()
    var node = try RawNode(config: newTestConfig(2, [1, 2], storage: storage))
    try node.step(
      msgWithSnapshot(makeSnapshot(index: 20, term: 3, nodes: [1, 2]), from: 1, to: 2, term: 3))
    let rd = node.ready()
    #expect(rd.snapshot?.metadata.index == 20)
    #expect(rd.committedEntries.isEmpty)
    #expect(rd.hardState?.commit == 20)
    try storage.applySnapshot(rd.snapshot!)
    if let hs = rd.hardState { storage.setHardState(hs) }
    node.advance(rd)
    #expect(node.status.applied == 20)
    #expect(node.raft.log.unstable.snapshot == nil)
    #expect(!node.hasReady)
  }
}

func msgWithSnapshot(_ s: Eraftpb_Snapshot, from: UInt64, to: UInt64, term: UInt64) -> Message {
  var m = msg(.msgSnapshot, from: from, to: to, term: term)
  m.snapshot = s
  return m
}
