import Foundation
import Testing
import TinyKVProto

@testable import Raft

/// Raft paper §5.4: election restriction and commitment rules.
@Suite("Paper §5.4: safety")
struct SafetyTests {
  /// "The RequestVote RPC includes information about the candidate's log" (last index and
  /// term), sent to every other server.
  @Test(arguments: [([entry(1, 1)], 2), ([entry(1, 1), entry(2, 2)], 3)] as [([Entry], UInt64)])
  func voteRequestCarriesLastLogPosition(entries: [Entry], wantTerm: UInt64) {
    var r = newTestRaft(1, [1, 2, 3])
    r.stepIgnoringError(
      msg(.msgAppend, from: 2, to: 1, term: wantTerm - 1, logTerm: 0, index: 0, entries: entries))
    _ = r.readMessages()
    for _ in 0..<(2 * r.electionTimeout) { r.tick() }
    let msgs = r.readMessages().sorted { $0.to < $1.to }
    #expect(msgs.map(\.to) == [2, 3])
    for m in msgs {
      #expect(m.msgType == .msgRequestVote)
      #expect(m.term == wantTerm)
      #expect(m.index == entries.last!.index && m.logTerm == entries.last!.term)
    }
  }

  /// "The voter denies its vote if its own log is more up-to-date than that of the
  /// candidate": compare last terms, then lengths.
  @Test(
    arguments: [
      // Same last term: longer or equal log wins.
      ([entry(1, 1)], UInt64(1), UInt64(1), false),
      ([entry(1, 1)], 1, 2, false),
      ([entry(1, 1), entry(1, 2)], 1, 1, true),
      // Candidate's last term is newer.
      ([entry(1, 1)], 2, 1, false),
      ([entry(1, 1)], 2, 2, false),
      ([entry(1, 1), entry(1, 2)], 2, 1, false),
      // Voter's last term is newer.
      ([entry(2, 1)], 1, 1, true),
      ([entry(2, 1)], 1, 2, true),
      ([entry(2, 1), entry(1, 2)], 1, 1, true),
    ] as [([Entry], UInt64, UInt64, Bool)])
  func voterRejectsLessUpToDateCandidate(
    entries: [Entry], logTerm: UInt64, index: UInt64, rejected: Bool
  ) throws {
    let storage = MemoryStorage()
    try storage.append(entries)
    var r = newTestRaft(1, [1, 2], storage: storage)
    r.stepIgnoringError(
      msg(.msgRequestVote, from: 2, to: 1, term: 3, logTerm: logTerm, index: index))
    let msgs = r.readMessages()
    #expect(msgs.count == 1)
    #expect(msgs.first?.msgType == .msgRequestVoteResponse)
    #expect(msgs.first?.reject == rejected)
  }

  /// "Raft never commits log entries from previous terms by counting replicas. Only log
  /// entries from the leader's current term are committed by counting replicas."
  @Test(
    arguments: [
      (1, 0), (2, 0), (3, 3),
    ] as [(UInt64, UInt64)])
  func leaderCommitsOnlyCurrentTermByCounting(ackedIndex: UInt64, wantCommit: UInt64) {
    var r = newTestRaft(1, [1, 2], storage: storageWithTerms([1, 2]))
    r.term = 2
    // Becomes leader at term 3 and appends its no-op at index 3.
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.readMessages()
    r.stepIgnoringError(msg(.msgAppendResponse, from: 2, to: 1, term: r.term, index: ackedIndex))
    #expect(r.log.committed == wantCommit)
  }
}
