import Foundation
import Testing
import TinyKVProto

@testable import Raft

/// Persists, "sends" nothing, applies conf changes, and advances, as an application would.
@discardableResult
func handleReady(_ node: inout RawNode<MemoryStorage>, _ storage: MemoryStorage) throws -> Ready {
  let rd = node.ready()
  if let snap = rd.snapshot { try storage.applySnapshot(snap) }
  try storage.append(rd.entries)
  if let hs = rd.hardState { storage.setHardState(hs) }
  for e in rd.committedEntries where e.entryType == .entryConfChange {
    let cc = try Eraftpb_ConfChange(serializedBytes: e.data)
    node.applyConfChange(cc)
  }
  node.advance(rd)
  return rd
}

/// The application-facing API: the Ready life cycle, proposals, restarts (TinyKV 2AC, 3A).
@Suite("RawNode")
struct RawNodeTests {
  @Test func proposeAndConfChange() throws {
    let s = MemoryStorage()
    var node = try newTestRawNode(1, [1], storage: s)
    if node.hasReady { try handleReady(&node, s) }
    #expect(!node.hasReady)
    try node.campaign()
    let rd = try handleReady(&node, s)
    #expect(rd.softState?.leaderID == 1)
    #expect(rd.softState?.role == .leader)

    try node.propose(Data("somedata".utf8))
    let cc = confChange(.addNode, 1)
    try node.proposeConfChange(cc)
    let entries = node.raft.log.unstableEntries
    #expect(entries.count == 2)
    #expect(entries[0].data == Data("somedata".utf8))
    #expect(entries[1].entryType == .entryConfChange)
    #expect(entries[1].data == (try cc.serializedData()))
  }

  /// Adding an existing node again is harmless; the membership stays the same.
  @Test func proposeAddDuplicateNode() throws {
    let s = MemoryStorage()
    var node = try newTestRawNode(1, [1], storage: s)
    try node.campaign()
    while node.hasReady {
      let rd = try handleReady(&node, s)
      if rd.softState?.leaderID == 1 { break }
    }
    func proposeAndApply(_ cc: Eraftpb_ConfChange) throws {
      try node.proposeConfChange(cc)
      let rd = try handleReady(&node, s)
      #expect(rd.committedEntries.contains { $0.entryType == .entryConfChange })
    }
    try proposeAndApply(confChange(.addNode, 1))
    // The same change again, after the first is applied.
    try proposeAndApply(confChange(.addNode, 1))
    #expect(node.confState.nodes == [1])
    try proposeAndApply(confChange(.addNode, 2))
    #expect(node.confState.nodes == [1, 2])
    let last = try s.lastIndex()
    let stored = try s.entries(last - 2, last + 1, maxSize: .max)
    #expect(stored.allSatisfy { $0.entryType == .entryConfChange })
  }

  /// A fresh single node: campaign, propose, and see the life cycle's outputs.
  @Test func startProposeCommit() throws {
    let s = MemoryStorage()
    var node = try newTestRawNode(1, [1], storage: s)
    try node.campaign()
    let rd1 = try handleReady(&node, s)
    #expect(rd1.hardState == Eraftpb_HardState(term: 1, vote: 1, commit: 1))
    #expect(rd1.entries.map(\.index) == [1])
    #expect(rd1.committedEntries.map(\.index) == [1])
    #expect(rd1.mustSync)
    try node.propose(Data("foo".utf8))
    #expect(node.hasReady)
    let rd2 = try handleReady(&node, s)
    #expect(rd2.hardState == Eraftpb_HardState(term: 1, vote: 1, commit: 2))
    #expect(sameEntries(rd2.entries, [entry(1, 2, "foo")]))
    #expect(sameEntries(rd2.committedEntries, [entry(1, 2, "foo")]))
    #expect(rd2.softState == nil)
    #expect(!node.hasReady)
  }

  /// A restarted node re-applies committed entries after `applied` and keeps its state.
  @Test func restartReappliesCommittedEntries() throws {
    let entries = [entry(1, 1), entry(1, 2, "foo")]
    let s = MemoryStorage(peers: [1])
    s.setHardState(Eraftpb_HardState(term: 1, vote: 0, commit: 1))
    try s.append(entries)
    var node = try newTestRawNode(1, [], storage: s)
    let rd = node.ready()
    #expect(rd.hardState == nil)
    #expect(rd.entries.isEmpty)
    #expect(sameEntries(rd.committedEntries, [entries[0]]))
    node.advance(rd)
    #expect(!node.hasReady)
    #expect(node.term == 1)
  }

  @Test func restartFromSnapshot() throws {
    let s = MemoryStorage()
    s.setHardState(Eraftpb_HardState(term: 1, vote: 0, commit: 3))
    try s.applySnapshot(makeSnapshot(index: 2, term: 1, nodes: [1, 2]))
    try s.append([entry(1, 3, "foo")])
    var node = try newTestRawNode(1, [], storage: s)
    #expect(node.confState.nodes == [1, 2])
    let rd = node.ready()
    #expect(rd.entries.isEmpty)
    #expect(sameEntries(rd.committedEntries, [entry(1, 3, "foo")]))
    node.advance(rd)
    #expect(!node.hasReady)
  }

  /// `applied` in the config skips entries the application already applied.
  @Test func restartWithAppliedSkipsApplied() throws {
    let s = MemoryStorage(peers: [1])
    try s.append([entry(1, 1), entry(1, 2), entry(1, 3)])
    s.setHardState(Eraftpb_HardState(term: 1, vote: 1, commit: 3))
    var options = TestOptions()
    options.applied = 2
    var node = try newTestRawNode(1, [], storage: s, options: options)
    let rd = node.ready()
    #expect(rd.committedEntries.map(\.index) == [3])
  }

  @Test func restartRejectsCommitBeyondLog() throws {
    let s = MemoryStorage(peers: [1])
    s.setHardState(Eraftpb_HardState(term: 1, vote: 1, commit: 5))
    #expect(throws: RaftError(code: .invalidConfig, message: "")) {
      _ = try newTestRawNode(1, [], storage: s)
    }
  }

  @Test func invalidConfigIsRejected() {
    #expect(throws: RaftError(code: .invalidConfig, message: "")) {
      _ = try newTestRawNode(0, [1], storage: MemoryStorage())
    }
    #expect(throws: RaftError(code: .invalidConfig, message: "")) {
      _ = try newTestRawNode(1, [1], election: 1, heartbeat: 1, storage: MemoryStorage())
    }
  }

  @Test func stepRejectsLocalMessagesAndUnknownPeers() throws {
    var node = try newTestRawNode(1, [1, 2], storage: MemoryStorage())
    #expect(throws: RaftError.stepLocalMessage) { try node.step(msg(.msgHup, from: 1, to: 1)) }
    #expect(throws: RaftError.stepLocalMessage) { try node.step(msg(.msgBeat, from: 1, to: 1)) }
    #expect(throws: RaftError.stepPeerNotFound) {
      try node.step(msg(.msgAppendResponse, from: 9, to: 1, term: 1))
    }
  }

  @Test func proposalWithoutLeaderIsDropped() throws {
    var node = try newTestRawNode(1, [1, 2], storage: MemoryStorage())
    #expect(throws: RaftError.proposalDropped) { try node.propose(Data("x".utf8)) }
  }

  /// Between ready() and advance() the node keeps working; the next Ready holds only what
  /// is new.
  @Test func stepBetweenReadyAndAdvance() throws {
    let s = MemoryStorage()
    var node = try newTestRawNode(1, [1], storage: s)
    try node.campaign()
    try handleReady(&node, s)
    try node.propose(Data("a".utf8))
    let rd = node.ready()
    try node.propose(Data("b".utf8))
    try s.append(rd.entries)
    if let hs = rd.hardState { s.setHardState(hs) }
    node.advance(rd)
    let rd2 = node.ready()
    #expect(rd2.entries.map(\.data) == [Data("b".utf8)])
    #expect(rd2.committedEntries.map(\.data) == [Data("b".utf8)])
  }

  /// Soft state appears only when it changes; mustSync only for entries, term or vote.
  @Test func readyReportsOnlyChanges() throws {
    let s = MemoryStorage()
    var node = try newTestRawNode(1, [1, 2], storage: s)
    try node.campaign()
    let rd = try handleReady(&node, s)
    #expect(rd.softState == SoftState(leaderID: 0, role: .candidate))
    #expect(rd.hardState?.vote == 1)
    #expect(rd.mustSync)
    #expect(rd.messages.map(\.msgType) == [.msgRequestVote])
    try node.step(msg(.msgRequestVoteResponse, from: 2, to: 1, term: 1))
    let rd2 = try handleReady(&node, s)
    #expect(rd2.softState == SoftState(leaderID: 1, role: .leader))
    #expect(rd2.entries.count == 1)
    #expect(rd2.messages.map(\.msgType) == [.msgAppend])
    try node.step(msg(.msgAppendResponse, from: 2, to: 1, term: 1, index: 1))
    let rd3 = try handleReady(&node, s)
    #expect(rd3.softState == nil)
    #expect(rd3.hardState?.commit == 1)
    #expect(!rd3.mustSync, "a commit-only change need not be synced")
  }

  @Test func statusShowsProgressOnLeaderOnly() throws {
    let s = MemoryStorage()
    var node = try newTestRawNode(1, [1, 2], storage: s)
    #expect(node.status.progress.isEmpty)
    try node.campaign()
    try node.step(msg(.msgRequestVoteResponse, from: 2, to: 1, term: 1))
    let status = node.status
    #expect(status.softState.role == .leader)
    #expect(Set(status.progress.keys) == [1, 2])
    #expect(status.hardState.term == 1)
  }

  @Test func readIndexThroughRawNode() throws {
    let s = MemoryStorage()
    var node = try newTestRawNode(1, [1], storage: s)
    try node.campaign()
    try handleReady(&node, s)
    try node.readIndex(Data("req".utf8))
    let rd = try handleReady(&node, s)
    #expect(rd.readStates == [ReadState(index: 1, requestContext: Data("req".utf8))])
  }

  @Test func unreachablePeerFallsBackToProbe() throws {
    let s = MemoryStorage()
    var node = try newTestRawNode(1, [1, 2], storage: s)
    try node.campaign()
    try node.step(msg(.msgRequestVoteResponse, from: 2, to: 1, term: 1))
    try node.step(msg(.msgAppendResponse, from: 2, to: 1, term: 1, index: 1))
    #expect(node.status.progress[2]?.state == .replicate)
    node.reportUnreachable(2)
    #expect(node.status.progress[2]?.state == .probe)
  }
}
