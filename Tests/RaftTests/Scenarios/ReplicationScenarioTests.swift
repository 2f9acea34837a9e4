import Foundation
import Testing
import TinyKVProto

@testable import Raft

/// Replication and commit scenarios (TinyKV 2AB / etcd).
@Suite("Replication scenarios")
struct ReplicationScenarioTests {
  @Test func leaderTracksOwnProgress() {
    var r = newTestRaft(1, [1, 2])
    r.becomeCandidate()
    r.becomeLeader()
    for i in 0..<5 {
      let pr = r.tracker.progress[1]!
      #expect(pr.match == UInt64(i + 1))
      #expect(pr.next == pr.match + 1)
      r.stepIgnoringError(proposal("foo"))
    }
  }

  @Test func logReplicatesAndCommitsAcrossNodes() {
    struct Case {
      var net: Network
      var messages: [Message]
      var wantCommitted: UInt64
    }
    let cases = [
      Case(net: Network(size: 3), messages: [proposal("somedata")], wantCommitted: 2),
      Case(
        net: Network(size: 3),
        messages: [proposal("somedata"), hup(2), proposal(from: 1, to: 2, "somedata")],
        wantCommitted: 4),
    ]
    for var c in cases {
      c.net.send(hup(1))
      for m in c.messages { c.net.send(m) }
      for id in UInt64(1)...3 {
        var r = c.net[id]
        #expect(r.log.committed == c.wantCommitted, "node \(id)")
        let applied = r.persistAndApply().filter { !$0.data.isEmpty }
        let proposed = c.messages.filter { $0.msgType == .msgPropose }
        #expect(applied.count == proposed.count)
        for (e, p) in zip(applied, proposed) { #expect(e.data == p.entries[0].data) }
      }
    }
  }

  @Test func singleNodeCommitsAlone() {
    var net = Network(size: 1)
    net.send(hup(1))
    net.send(proposal("some data"))
    net.send(proposal("some data"))
    #expect(net[1].log.committed == 3)
  }

  /// Entries of an earlier term are not committed by counting replicas; the new leader's
  /// no-op commits them.
  @Test func entriesOfOldTermCommitWithNewTermEntry() {
    var net = Network(size: 5)
    net.send(hup(1))
    // Only the leader gets the proposals.
    net.cut(1, 3)
    net.cut(1, 4)
    net.cut(1, 5)
    net.send(proposal("some data"))
    net.send(proposal("some data"))
    #expect(net[1].log.committed == 1)
    net.recover()
    // 2 has the entries and wins; its no-op commits them.
    net.ignore(.msgAppend)
    net.send(hup(2))
    #expect(net[2].role == .leader)
    #expect(net[2].log.committed == 1)
    net.recover()
    net.send(msg(.msgBeat, from: 2, to: 2))
    #expect(net[2].log.committed == 4)
  }

  /// A follower that missed appends learns the commit index through heartbeats (after
  /// catching up).
  @Test func heartbeatsSpreadCommit() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.cut(1, 3)
    net.send(proposal("some data"))
    net.send(proposal("some data"))
    #expect(net[3].log.committed == 1)
    net.recover()
    net.send(msg(.msgBeat, from: 1, to: 1))
    #expect(net[3].log.committed == 3)
  }

  @Test func proposalsCommitWhenQuorumReachable() {
    let cases: [([Network.PeerSpec], Bool)] = [
      ([.fresh, .fresh, .fresh], true),
      ([.fresh, .fresh, .blackHole], true),
      ([.fresh, .blackHole, .blackHole], false),
      ([.fresh, .blackHole, .blackHole, .fresh], false),
      ([.fresh, .blackHole, .blackHole, .fresh, .fresh], true),
    ]
    for (specs, success) in cases {
      var net = Network(specs)
      net.send(hup(1))
      net.send(proposal("somedata"))
      let expectedTerms: [UInt64] = success ? [1, 1] : []
      for (id, r) in net.peers {
        let committed = (try? r.log.slice(1, r.log.committed + 1, maxSize: .max)) ?? []
        #expect(terms(committed) == expectedTerms, "node \(id)")
      }
      #expect(net[1].term == 1)
    }
  }

  /// Follower handling of appends: consistency check, truncation, commit.
  @Test(
    arguments: [
      // Consistency check fails.
      (msg(.msgAppend, term: 2, logTerm: 3, index: 2, commit: 3), UInt64(2), UInt64(0), true),
      (msg(.msgAppend, term: 2, logTerm: 3, index: 3, commit: 3), 2, 0, true),
      // Consistency check succeeds.
      (msg(.msgAppend, term: 2, logTerm: 1, index: 1, commit: 1), 2, 1, false),
      (
        msg(.msgAppend, term: 2, logTerm: 0, index: 0, commit: 1, entries: [entry(2, 1)]), 1, 1,
        false
      ),
      (
        msg(
          .msgAppend, term: 2, logTerm: 2, index: 2, commit: 3, entries: [entry(2, 3), entry(2, 4)]),
        4, 3, false
      ),
      (
        msg(.msgAppend, term: 2, logTerm: 2, index: 2, commit: 4, entries: [entry(2, 3)]), 3, 3,
        false
      ),
      (
        msg(.msgAppend, term: 2, logTerm: 1, index: 1, commit: 4, entries: [entry(2, 2)]), 2, 2,
        false
      ),
      // Commit follows the leader but never beyond the last new entry.
      (msg(.msgAppend, term: 1, logTerm: 1, index: 1, commit: 3), 2, 1, false),
      (
        msg(.msgAppend, term: 1, logTerm: 1, index: 1, commit: 3, entries: [entry(2, 2)]), 2, 2,
        false
      ),
      (msg(.msgAppend, term: 2, logTerm: 2, index: 2, commit: 3), 2, 2, false),
      (msg(.msgAppend, term: 2, logTerm: 2, index: 2, commit: 4), 2, 2, false),
    ] as [(Message, UInt64, UInt64, Bool)])
  func followerHandlesAppend(m: Message, wantLast: UInt64, wantCommit: UInt64, reject: Bool) {
    var r = newTestRaft(1, [1], storage: storageWithTerms([1, 2]))
    r.becomeFollower(term: 2, lead: 0)
    var m = m
    m.from = 2
    m.to = 1
    r.handleAppend(m)
    #expect(r.log.lastIndex == wantLast)
    #expect(r.log.committed == wantCommit)
    let msgs = r.readMessages()
    #expect(msgs.count == 1)
    #expect(msgs.first?.reject == reject)
  }

  /// A rejection carries a hint that lets the leader skip a whole conflicting term.
  @Test func rejectionHintSkipsConflictingTerm() throws {
    // Follower: terms [1, 1, 1, 2, 2, 2]; leader probes at index 9 with log term 5.
    var f = newTestRaft(2, [1, 2], storage: storageWithTerms([1, 1, 1, 2, 2, 2]))
    f.becomeFollower(term: 5, lead: 1)
    f.handleAppend(msg(.msgAppend, from: 1, to: 2, term: 5, logTerm: 5, index: 9))
    let resp = try #require(f.readMessages().first)
    #expect(resp.reject)
    #expect(resp.index == 9)
    #expect(resp.rejectHint == 6)
    #expect(resp.logTerm == 2)
    // Leader: terms [1, 1, 1, 4, 4, 4, 5, 5, 5]; it jumps back to index 3 (term 1 <= 2)
    // and probes there instead of walking back one index at a time.
    var l = newTestRaft(1, [1, 2], storage: storageWithTerms([1, 1, 1, 4, 4, 4, 5, 5, 5]))
    l.term = 5
    l.becomeCandidate()
    l.becomeLeader()
    _ = l.readMessages()
    l.tracker.progress[2]!.next = 10
    l.stepIgnoringError(
      msg(
        .msgAppendResponse, from: 2, to: 1, term: l.term, logTerm: 2, index: 9, commit: 6,
        reject: true))
    #expect(l.tracker.progress[2]!.next == 4)
    let probe = try #require(l.readMessages().first)
    #expect(probe.msgType == .msgAppend)
    #expect(probe.index == 3 && probe.logTerm == 1)
  }

  @Test func heartbeatCommitIsBoundedByMatch() {
    var r = newTestRaft(1, [1, 2, 3])
    r.becomeCandidate()
    r.becomeLeader()
    r.commitNoopEntry()
    r.stepIgnoringError(proposal("a"))
    for m in r.readMessages() where m.to == 2 { r.stepIgnoringError(acceptAndReply(m)) }
    #expect(r.log.committed == 2)
    _ = r.readMessages()
    r.bcastHeartbeat()
    let hbs = r.readMessages().sorted { $0.to < $1.to }
    #expect(hbs.map(\.commit) == [2, 1])
  }

  @Test func followerCommitsFromHeartbeat() {
    var r = newTestRaft(1, [1, 2], storage: storageWithTerms([1, 1, 1]))
    r.becomeFollower(term: 2, lead: 2)
    r.log.commit(to: 2)
    r.stepIgnoringError(msg(.msgHeartbeat, from: 2, to: 1, term: 2, commit: 3))
    #expect(r.log.committed == 3)
    // A heartbeat never decreases commit.
    r.stepIgnoringError(msg(.msgHeartbeat, from: 2, to: 1, term: 2, commit: 1))
    #expect(r.log.committed == 3)
    let msgs = r.readMessages()
    #expect(msgs.map(\.msgType) == [.msgHeartbeatResponse, .msgHeartbeatResponse])
  }

  /// A proposal moves `next` optimistically past the sent entries in replicate state; in
  /// probe state `next` stays until the follower answers.
  @Test(arguments: [(ProgressState.replicate, UInt64(6)), (.probe, 4)])
  func proposalAdvancesNextOnlyWhenReplicating(state: ProgressState, wantNext: UInt64) throws {
    let storage = MemoryStorage()
    try storage.append([entry(1, 1), entry(1, 2), entry(1, 3)])
    var r = newTestRaft(1, [1, 2], storage: storage)
    r.term = 1
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.readMessages()
    r.tracker.progress[2]!.state = state
    r.tracker.progress[2]!.match = 2
    r.tracker.progress[2]!.next = 4
    // Leader's log: 1...3 old, 4 no-op, 5 the proposal.
    r.stepIgnoringError(proposal("somedata"))
    #expect(r.tracker.progress[2]!.match == 2)
    #expect(r.tracker.progress[2]!.next == wantNext)
    let sent = r.readMessages()
    #expect(sent.count == 1)
    #expect(sent.first?.index == 3)
    #expect(sent.first?.entries.map(\.index) == [4, 5])
  }

  /// A probing follower receives one append at a time until it answers.
  @Test func probeSendsOneAppendAtATime() {
    var r = newTestRaft(1, [1, 2])
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.readMessages()
    r.sendAppend(to: 2)
    #expect(r.readMessages().count == 1)
    #expect(r.tracker.progress[2]!.probeSent)
    r.stepIgnoringError(proposal("a"))
    r.stepIgnoringError(proposal("b"))
    #expect(r.readMessages().isEmpty)
    // A heartbeat response unpauses it.
    r.stepIgnoringError(msg(.msgHeartbeatResponse, from: 2, to: 1, term: r.term))
    let msgs = r.readMessages()
    #expect(msgs.count == 1)
    #expect(msgs.first?.msgType == .msgAppend)
  }

  /// In replicate state, appends stream until the in-flight window is full.
  @Test func replicateRespectsInflightWindow() {
    var options = TestOptions()
    options.maxInflight = 3
    var r = newTestRaft(1, [1, 2], options: options)
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.readMessages()
    r.tracker.progress[2]!.becomeReplicate()
    for _ in 0..<10 { r.stepIgnoringError(proposal("x")) }
    let sent = r.readMessages().filter { $0.msgType == .msgAppend }
    #expect(sent.count == 3)
    #expect(r.tracker.progress[2]!.inflights.isFull)
    // Acknowledging the first frees one slot; the leader sends the rest in one message.
    r.stepIgnoringError(
      msg(.msgAppendResponse, from: 2, to: 1, term: r.term, index: sent[0].entries.last!.index))
    let more = r.readMessages().filter { $0.msgType == .msgAppend }
    #expect(more.count == 1)
    #expect(more.first?.entries.last?.index == r.log.lastIndex)
  }

  /// A large backlog is split by the per-message byte limit.
  @Test func appendRespectsMaxSizePerMessage() throws {
    var options = TestOptions()
    options.maxSizePerMsg = 100
    var r = newTestRaft(1, [1, 2], options: options)
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.readMessages()
    for _ in 0..<10 { r.stepIgnoringError(proposal(String(repeating: "z", count: 30))) }
    _ = r.readMessages()
    r.tracker.progress[2]!.becomeReplicate()
    r.tracker.progress[2]!.next = 1
    r.sendAppend(to: 2)
    let m = try #require(r.readMessages().first)
    #expect(m.entries.count >= 1 && m.entries.count < 11)
    #expect(m.entries.reduce(0) { $0 + $1.approximateSize } <= 100 || m.entries.count == 1)
  }
}
