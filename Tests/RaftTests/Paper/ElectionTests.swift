import Foundation
import Testing
import TinyKVProto
import Randomness

@testable import Raft

/// Raft paper §5.1–5.2: terms and leader election, sentence by sentence.
@Suite("Paper §5.2: leader election")
struct ElectionTests {
  enum Role: CaseIterable { case follower, candidate, leader }

  static func make(_ role: Role) -> Core {
    var r = newTestRaft(1, [1, 2, 3])
    switch role {
    case .follower: r.becomeFollower(term: 1, lead: 2)
    case .candidate: r.becomeCandidate()
    case .leader:
      r.becomeCandidate()
      r.becomeLeader()
    }
    return r
  }

  /// "If one server's current term is smaller than the other's, then it updates its
  /// current term to the larger value. If a candidate or leader discovers that its term is
  /// out of date, it immediately reverts to follower state."
  @Test(arguments: Role.allCases)
  func updatesTermFromMessage(role: Role) {
    var r = Self.make(role)
    r.stepIgnoringError(msg(.msgAppend, from: 2, to: 1, term: 2))
    #expect(r.term == 2)
    #expect(r.role == .follower)
    #expect(r.lead == 2)
  }

  /// "If a server receives a request with a stale term number, it rejects the request."
  /// A stale append or heartbeat is answered with our term (so the stale leader steps
  /// down) and changes nothing else; other stale messages are ignored.
  @Test func rejectsStaleTermMessages() {
    var r = newTestRaft(1, [1, 2, 3])
    r.becomeFollower(term: 2, lead: 0)
    r.stepIgnoringError(msg(.msgAppend, from: 2, to: 1, term: 1, index: 0, entries: [entry(1, 1)]))
    let msgs = r.readMessages()
    #expect(msgs.count == 1)
    #expect(msgs.first?.msgType == .msgAppendResponse)
    #expect(msgs.first?.term == 2)
    #expect(msgs.first?.to == 2)
    #expect(r.log.lastIndex == 0)
    #expect(r.term == 2)
    #expect(r.lead == 0)
    r.stepIgnoringError(msg(.msgRequestVote, from: 2, to: 1, term: 1))
    #expect(r.readMessages().isEmpty)
  }

  /// "When servers start up, they begin as followers." At term 0 with no vote.
  @Test func startsAsFollowerAtTermZero() {
    let r = newTestRaft(1, [1, 2, 3])
    #expect(r.role == .follower)
    #expect(r.term == 0)
    #expect(r.vote == 0)
  }

  /// "Leaders send periodic heartbeats to all followers to maintain their authority."
  @Test func leaderBroadcastsHeartbeats() {
    let hb = 1
    var r = newTestRaft(1, [1, 2, 3], election: 10, heartbeat: hb)
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.readMessages()
    for _ in 0..<hb { r.tick() }
    let msgs = r.readMessages().sorted { $0.to < $1.to }
    #expect(msgs.map(\.to) == [2, 3])
    #expect(msgs.allSatisfy { $0.msgType == .msgHeartbeat && $0.term == 1 && $0.from == 1 })
  }

  /// "If a follower (or candidate) receives no communication over a period of time called
  /// the election timeout, it begins an election: it increments its term, votes for itself
  /// and issues RequestVote RPCs to every other server."
  @Test(arguments: [Role.follower, .candidate])
  func startsElectionOnTimeout(role: Role) {
    var r = Self.make(role)
    let startTerm = r.term
    for _ in 0..<(2 * r.electionTimeout) { r.tick() }
    #expect(r.term == startTerm + 1)
    #expect(r.role == .candidate)
    #expect(r.tracker.votes[1] == true)
    #expect(r.vote == 1)
    let msgs = r.readMessages().filter { $0.term == startTerm + 1 }.sorted { $0.to < $1.to }
    #expect(msgs.map(\.to) == [2, 3])
    #expect(msgs.allSatisfy { $0.msgType == .msgRequestVote && $0.from == 1 })
  }

  /// "A candidate wins an election if it receives votes from a majority"; it "remains a
  /// candidate" while undecided and "returns to follower" when a majority refuse.
  @Test(
    arguments: [
      (3, [UInt64: Bool](), StateRole.candidate),
      (1, [:], .leader),
      (3, [2: true, 3: true], .leader),
      (3, [2: true], .leader),
      (5, [2: true, 3: true, 4: true, 5: true], .leader),
      (5, [2: true, 3: true, 4: true], .leader),
      (5, [2: true, 3: true], .leader),
      (3, [2: false, 3: false], .follower),
      (5, [2: false, 3: false, 4: false, 5: false], .follower),
      (5, [2: true, 3: false, 4: false, 5: false], .follower),
      (3, [2: false], .candidate),
      (5, [2: true], .candidate),
      (5, [2: true, 3: false], .candidate),
    ] as [(Int, [UInt64: Bool], StateRole)])
  func electionInOneRound(size: Int, votes: [UInt64: Bool], expected: StateRole) {
    var r = newTestRaft(1, (1...UInt64(size)).map { $0 })
    r.stepIgnoringError(hup(1))
    for (id, granted) in votes.sorted(by: { $0.key < $1.key }) {
      r.stepIgnoringError(
        msg(.msgRequestVoteResponse, from: id, to: 1, term: r.term, reject: !granted))
    }
    #expect(r.role == expected)
    #expect(r.term == 1)
  }

  /// "Each server will vote for at most one candidate in a given term, on a
  /// first-come-first-served basis."
  @Test(
    arguments: [
      (UInt64(0), UInt64(2), false), (0, 3, false), (2, 2, false), (3, 3, false),
      (2, 3, true), (3, 2, true),
    ] as [(UInt64, UInt64, Bool)])
  func followerVotesOncePerTerm(vote: UInt64, candidate: UInt64, rejected: Bool) {
    var r = newTestRaft(1, [1, 2, 3])
    r.term = 1
    r.vote = vote
    r.stepIgnoringError(msg(.msgRequestVote, from: candidate, to: 1, term: 1))
    let msgs = r.readMessages()
    #expect(msgs.count == 1)
    #expect(msgs.first?.msgType == .msgRequestVoteResponse)
    #expect(msgs.first?.to == candidate)
    #expect(msgs.first?.reject == rejected)
  }

  /// "While waiting for votes, a candidate may receive an AppendEntries RPC from another
  /// server claiming to be leader. If the leader's term is at least as large as the
  /// candidate's current term, the candidate recognizes the leader as legitimate."
  @Test(arguments: [UInt64(1), 2])
  func candidateFallsBackToLeaderOfSameOrNewerTerm(term: UInt64) {
    var r = newTestRaft(1, [1, 2, 3])
    r.stepIgnoringError(hup(1))
    #expect(r.role == .candidate)
    r.stepIgnoringError(msg(.msgAppend, from: 2, to: 1, term: term))
    #expect(r.role == .follower)
    #expect(r.term == term)
    #expect(r.lead == 2)
  }

  /// "Raft uses randomized election timeouts": a node times out somewhere in
  /// [electionTimeout, 2 * electionTimeout), and over many resets covers that range.
  @Test(arguments: [Role.follower, .candidate])
  func electionTimeoutIsRandomized(role: Role) throws {
    let et = 10
    var seen = Set<Int>()
    for seed in 0..<200 {
      var options = TestOptions()
      options.electionTick = et
      var config = newTestConfig(1, [1, 2, 3], storage: MemoryStorage(), options: options)
      config.randomSeed = UInt64(seed)
      var r = try Core(config: config)
      if role == .candidate {
        r.becomeCandidate()
      } else {
        r.becomeFollower(term: r.term + 1, lead: 2)
      }
      var ticks = 0
      let before = r.term
      while r.term == before {
        r.tick()
        ticks += 1
        #expect(ticks < 2 * et)
        if ticks >= 2 * et { break }
      }
      seen.insert(ticks)
    }
    #expect(seen.min()! >= et)
    #expect(seen.max()! < 2 * et)
    #expect(seen.count == et, "every timeout in [et, 2et) is drawn")
  }

  /// "In most cases only a single server will time out": different seeds rarely give
  /// equal timeouts, so split votes are rare.
  @Test(arguments: [Role.follower, .candidate])
  func electionTimeoutsRarelyConflict(role: Role) throws {
    let et = 10
    let size = 5
    var conflicts = 0
    let rounds = 1000
    var rng = SplitMix64(seed: 7)
    for _ in 0..<rounds {
      var timeouts: [Int] = []
      for id in 1...UInt64(size) {
        var options = TestOptions()
        options.electionTick = et
        var config = newTestConfig(
          id, (1...UInt64(size)).map { $0 }, storage: MemoryStorage(), options: options)
        config.randomSeed = rng.next()
        var r = try Core(config: config)
        if role == .candidate { r.becomeCandidate() } else { r.becomeFollower(term: 1, lead: 0) }
        timeouts.append(r.randomizedElectionTimeout)
      }
      let first = timeouts.min()!
      if timeouts.filter({ $0 == first }).count > 1 { conflicts += 1 }
    }
    // With 5 nodes and 10 slots the chance is about 0.3; require it well below 1.
    #expect(Double(conflicts) / Double(rounds) <= 0.4)
  }
}
