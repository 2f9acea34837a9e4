import Foundation
import Testing
import TinyKVProto

@testable import Raft

/// Raft paper §5.3: log replication, sentence by sentence.
@Suite("Paper §5.3: log replication")
struct ReplicationTests {
  static func leader(_ peers: [UInt64] = [1, 2, 3], storage: MemoryStorage = MemoryStorage())
    -> Core
  {
    var r = newTestRaft(1, peers, storage: storage)
    r.becomeCandidate()
    r.becomeLeader()
    r.commitNoopEntry()
    return r
  }

  /// "The leader appends the command to its log as a new entry, then issues AppendEntries
  /// RPCs in parallel to each of the other servers to replicate the entry."
  @Test func leaderStartsReplication() {
    var r = Self.leader()
    let li = r.log.lastIndex
    r.stepIgnoringError(proposal("some data"))
    #expect(r.log.lastIndex == li + 1)
    #expect(r.log.committed == li)
    let msgs = r.readMessages().sorted { $0.to < $1.to }
    #expect(msgs.map(\.to) == [2, 3])
    for m in msgs {
      #expect(m.msgType == .msgAppend)
      #expect(m.index == li && m.logTerm == 1 && m.commit == li)
      #expect(sameEntries(m.entries, [entry(1, li + 1, "some data")]))
    }
    #expect(sameEntries(r.log.unstableEntries, [entry(1, li + 1, "some data")]))
  }

  /// "When the entry has been safely replicated, the leader applies the entry to its state
  /// machine": once a majority acknowledge, the entry commits and appends carry the commit.
  @Test func leaderCommitsReplicatedEntry() {
    var r = Self.leader()
    let li = r.log.lastIndex
    r.stepIgnoringError(proposal("some data"))
    for m in r.readMessages() { r.stepIgnoringError(acceptAndReply(m)) }
    #expect(r.log.committed == li + 1)
    #expect(sameEntries(r.persistAndApply(), [entry(1, li + 1, "some data")]))
    let msgs = r.readMessages().sorted { $0.to < $1.to }
    #expect(msgs.map(\.to) == [2, 3])
    #expect(msgs.allSatisfy { $0.msgType == .msgAppend && $0.commit == li + 1 })
  }

  /// "A log entry is committed once the leader that created the entry has replicated it on
  /// a majority of the servers."
  @Test(
    arguments: [
      (1, Set<UInt64>(), true), (3, [], false), (3, [2], true), (3, [2, 3], true),
      (5, [], false), (5, [2], false), (5, [2, 3], true), (5, [2, 3, 4], true),
    ] as [(Int, Set<UInt64>, Bool)])
  func commitNeedsMajority(size: Int, acceptors: Set<UInt64>, committed: Bool) {
    var r = Self.leader((1...UInt64(size)).map { $0 })
    let li = r.log.lastIndex
    r.stepIgnoringError(proposal("some data"))
    for m in r.readMessages() where acceptors.contains(m.to) {
      r.stepIgnoringError(acceptAndReply(m))
    }
    #expect((r.log.committed > li) == committed)
  }

  /// "This also commits all preceding entries in the leader's log, including entries
  /// created by previous leaders."
  @Test(arguments: [
    [Entry](), [entry(2, 1)], [entry(1, 1), entry(2, 2)], [entry(1, 1)],
  ])
  func commitIncludesPrecedingEntries(existing: [Entry]) throws {
    let storage = MemoryStorage()
    try storage.append(existing)
    var r = newTestRaft(1, [1, 2, 3], storage: storage)
    r.term = 2
    r.becomeCandidate()
    r.becomeLeader()
    r.stepIgnoringError(proposal("some data"))
    for m in r.readMessages() { r.stepIgnoringError(acceptAndReply(m)) }
    let li = UInt64(existing.count)
    let expected = existing + [entry(3, li + 1), entry(3, li + 2, "some data")]
    #expect(sameEntries(r.persistAndApply(), expected))
  }

  /// "Once a follower learns that a log entry is committed, it applies the entry to its
  /// local state machine (in log order)."
  @Test(
    arguments: [
      ([entry(1, 1, "some data")], UInt64(1)),
      ([entry(1, 1, "some data"), entry(1, 2, "some data2")], 2),
      ([entry(1, 1, "some data2"), entry(1, 2, "some data")], 2),
      ([entry(1, 1, "some data"), entry(1, 2, "some data2")], 1),
    ] as [([Entry], UInt64)])
  func followerCommitsFromLeaderCommitIndex(entries: [Entry], commit: UInt64) {
    var r = newTestRaft(1, [1, 2, 3])
    r.becomeFollower(term: 1, lead: 2)
    r.stepIgnoringError(msg(.msgAppend, from: 2, to: 1, term: 1, commit: commit, entries: entries))
    #expect(r.log.committed == commit)
    #expect(sameEntries(r.persistAndApply(), Array(entries[..<Int(commit)])))
  }

  /// "When sending an AppendEntries RPC, the leader includes the index and term of the
  /// entry in its log that immediately precedes the new entries. If the follower does not
  /// find an entry in its log with the same index and term, then it refuses the new
  /// entries."
  @Test(
    arguments: [
      (UInt64(0), UInt64(0), false), (1, 1, false), (2, 2, false),
      (1, 0, true), (3, 3, true), (0, 1, true),
    ] as [(UInt64, UInt64, Bool)])
  func followerChecksConsistency(logTerm: UInt64, index: UInt64, rejected: Bool) {
    var r = newTestRaft(1, [1, 2, 3], storage: storageWithTerms([1, 2]))
    r.becomeFollower(term: 2, lead: 2)
    r.stepIgnoringError(msg(.msgAppend, from: 2, to: 1, term: 2, logTerm: logTerm, index: index))
    let msgs = r.readMessages()
    #expect(msgs.count == 1)
    #expect(msgs.first?.msgType == .msgAppendResponse)
    #expect(msgs.first?.reject == rejected)
    if rejected { #expect(msgs.first?.index == index) }
  }

  /// "If an existing entry conflicts with a new one (same index but different terms),
  /// delete the existing entry and all that follow it; append any new entries not already
  /// in the log."
  @Test(
    arguments: [
      (UInt64(2), UInt64(2), [entry(3, 3)], [UInt64(1), 2, 3], [UInt64(3)]),
      (1, 1, [entry(3, 2), entry(4, 3)], [1, 3, 4], [3, 4]),
      (0, 0, [entry(1, 1)], [1, 2], []),
      (0, 0, [entry(3, 1)], [3], [3]),
    ] as [(UInt64, UInt64, [Entry], [UInt64], [UInt64])])
  func followerAppendsAndTruncates(
    index: UInt64, logTerm: UInt64, entries: [Entry], wantTerms: [UInt64],
    wantUnstable: [UInt64]
  ) {
    var r = newTestRaft(1, [1, 2, 3], storage: storageWithTerms([1, 2]))
    r.becomeFollower(term: 2, lead: 2)
    r.stepIgnoringError(
      msg(.msgAppend, from: 2, to: 1, term: 2, logTerm: logTerm, index: index, entries: entries))
    #expect(terms(r.log.allEntries()) == wantTerms)
    #expect(terms(r.log.unstableEntries) == wantUnstable)
  }

  /// "The leader handles inconsistencies by forcing the followers' logs to duplicate its
  /// own": whatever the follower holds (Figure 7), it ends with the leader's log.
  @Test(arguments: [
    [UInt64](arrayLiteral: 1, 1, 1, 4, 4, 5, 5, 6, 6),
    [1, 1, 1, 4],
    [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 6],
    [1, 1, 1, 4, 4, 5, 5, 6, 6, 6, 7, 7],
    [1, 1, 1, 4, 4, 4, 4],
    [1, 1, 1, 2, 2, 2, 3, 3, 3, 3, 3],
  ])
  func leaderForcesFollowerLog(followerTerms: [UInt64]) {
    let leaderTerms: [UInt64] = [1, 1, 1, 4, 4, 5, 5, 6, 6, 6]
    let term: UInt64 = 8
    var lead = newTestRaft(1, [1, 2, 3], storage: storageWithTerms(leaderTerms))
    lead.term = term
    lead.log.committed = lead.log.lastIndex
    var follower = newTestRaft(2, [1, 2, 3], storage: storageWithTerms(followerTerms))
    follower.term = term - 1
    // Three nodes: the follower may have the longer log, so the leader needs node 3's vote.
    var net = Network([.raft(lead), .raft(follower), .blackHole])
    net.send(hup(1))
    net.send(msg(.msgRequestVoteResponse, from: 3, to: 1, term: term + 1))
    net.send(proposal(from: 1, to: 1, ""))
    #expect(net[1].role == .leader)
    #expect(logDump(net[1]) == logDump(net[2]))
  }
}
