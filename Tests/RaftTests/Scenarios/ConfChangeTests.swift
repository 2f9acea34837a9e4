import Foundation
import Testing
import TinyKVProto

@testable import Raft

func confChange(_ type: Eraftpb_ConfChangeType, _ node: UInt64) -> Eraftpb_ConfChange {
  var cc = Eraftpb_ConfChange()
  cc.changeType = type
  cc.nodeID = node
  return cc
}

func confChangeEntry(_ type: Eraftpb_ConfChangeType, _ node: UInt64) -> Entry {
  Entry(
    term: 0, index: 0, data: try! confChange(type, node).serializedData(), type: .entryConfChange)
}

/// Membership change, one node at a time (TinyKV 3A / etcd).
@Suite("Membership change")
struct ConfChangeTests {
  @Test func addNodeJoinsTracker() {
    var r = newTestRaft(1, [1])
    r.addNode(2)
    #expect(r.tracker.ids == [1, 2])
    // Adding twice is harmless.
    r.addNode(2)
    #expect(r.tracker.ids == [1, 2])
  }

  @Test func removeNodeLeavesTracker() {
    var r = newTestRaft(1, [1, 2])
    r.removeNode(2)
    #expect(r.tracker.ids == [1])
    r.removeNode(1)
    #expect(r.tracker.ids == [])
    #expect(!r.promotable)
  }

  /// Removing a node shrinks the quorum, which can commit pending entries.
  @Test func removalCommitsPendingEntries() {
    var r = newTestRaft(1, [1, 2])
    r.becomeCandidate()
    r.becomeLeader()
    r.commitNoopEntry()
    r.stepIgnoringError(
      msg(.msgPropose, from: 1, to: 1, entries: [confChangeEntry(.removeNode, 2)]))
    #expect(r.persistAndApply().isEmpty)
    r.stepIgnoringError(proposal("hello"))
    // 2 never acknowledges; removing it lets the leader commit alone.
    _ = r.readMessages()
    r.removeNode(2)
    let ents = r.persistAndApply()
    #expect(ents.count == 2)
    #expect(ents[0].entryType == .entryConfChange)
    #expect(ents[1].data == Data("hello".utf8))
  }

  /// Only one membership change may be pending: a second waits until the first is applied.
  @Test func secondConfChangeRefusedUntilApplied() {
    var r = newTestRaft(1, [1])
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.persistAndApply()
    #expect(throws: RaftError.proposalDropped) {
      // The no-op is applied, but becomeLeader conservatively marked its index pending.
      try r.step(msg(.msgPropose, from: 1, to: 1, entries: [confChangeEntry(.addNode, 2)]))
      try r.step(msg(.msgPropose, from: 1, to: 1, entries: [confChangeEntry(.addNode, 3)]))
    }
    // After the first change is applied the next one is accepted.
    _ = r.persistAndApply()
    #expect(throws: Never.self) {
      try r.step(msg(.msgPropose, from: 1, to: 1, entries: [confChangeEntry(.addNode, 3)]))
    }
    // Two changes in one proposal are refused.
    _ = r.persistAndApply()
    #expect(throws: RaftError.proposalDropped) {
      try r.step(
        msg(
          .msgPropose, from: 1, to: 1,
          entries: [confChangeEntry(.addNode, 4), confChangeEntry(.addNode, 5)]))
    }
  }

  /// A node does not campaign while a committed conf change is not applied.
  @Test func noCampaignWithUnappliedConfChange() throws {
    let storage = MemoryStorage()
    var e = confChangeEntry(.addNode, 3)
    e.term = 1
    e.index = 1
    try storage.append([e])
    storage.setHardState(Eraftpb_HardState(term: 1, vote: 0, commit: 1))
    var r = newTestRaft(1, [1, 2], storage: storage)
    r.stepIgnoringError(hup(1))
    #expect(r.role == .follower)
    _ = r.persistAndApply()
    r.stepIgnoringError(hup(1))
    #expect(r.role == .candidate)
  }

  /// A leader that removes itself steps down; it can no longer propose or campaign.
  @Test func leaderRemovingItselfStepsDown() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.peers[1]!.removeNode(1)
    #expect(net[1].role == .follower)
    #expect(!net[1].promotable)
    net.send(hup(1))
    #expect(net[1].role == .follower)
    #expect(throws: RaftError.proposalDropped) { try net.peers[1]!.step(proposal("x")) }
    // The others elect a leader among themselves.
    net.peers[2]!.removeNode(1)
    net.peers[3]!.removeNode(1)
    net.send(hup(2))
    #expect(net[2].role == .leader)
  }

  /// A removed node's leader stops replicating to it; the node is inert.
  @Test func removedFollowerGetsNothing() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.peers[1]!.removeNode(3)
    var sawMessageTo3 = false
    net.intercept = { m in
      if m.to == 3 { sawMessageTo3 = true }
      return true
    }
    net.send(proposal("after removal"))
    net.send(msg(.msgBeat, from: 1, to: 1))
    #expect(!sawMessageTo3)
    #expect(net[1].log.committed == net[2].log.committed)
  }

  @Test func removingTransfereeAbortsTransfer() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.ignore(.msgTimeoutNow)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    #expect(net[1].leadTransferee == 3)
    net.peers[1]!.removeNode(3)
    #expect(net[1].leadTransferee == 0)
    #expect(net[1].role == .leader)
  }
}
