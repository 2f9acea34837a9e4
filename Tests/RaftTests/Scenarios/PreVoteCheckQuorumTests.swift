import Foundation
import Testing
import TinyKVProto

@testable import Raft

/// Options beyond TinyKV: pre-vote and check-quorum (etcd).
@Suite("Pre-vote and check-quorum")
struct PreVoteCheckQuorumTests {
  static func options(preVote: Bool = false, checkQuorum: Bool = false) -> TestOptions {
    var o = TestOptions()
    o.preVote = preVote
    o.checkQuorum = checkQuorum
    return o
  }

  @Test func leaderStepsDownWithoutQuorum() {
    var r = newTestRaft(1, [1, 2, 3], options: Self.options(checkQuorum: true))
    r.becomeCandidate()
    r.becomeLeader()
    for _ in 0..<(r.electionTimeout + 1) { r.tick() }
    #expect(r.role == .follower)
  }

  @Test func leaderStaysWithActiveQuorum() {
    var r = newTestRaft(1, [1, 2, 3], options: Self.options(checkQuorum: true))
    r.becomeCandidate()
    r.becomeLeader()
    for _ in 0..<3 {
      for _ in 0..<(r.electionTimeout - 1) { r.tick() }
      r.stepIgnoringError(msg(.msgHeartbeatResponse, from: 2, to: 1, term: r.term))
      r.tick()
      #expect(r.role == .leader)
    }
  }

  /// With check-quorum, followers inside the lease ignore a disruptive vote request.
  @Test func leaseIgnoresVotesFromRejoiningNode() {
    var net = Network(size: 3, options: Self.options(checkQuorum: true))
    net.send(hup(1))
    net.send(msg(.msgBeat, from: 1, to: 1))
    // Node 3 campaigns at a higher term: 2 heard from the leader recently and ignores it.
    net.send(msg(.msgRequestVote, from: 3, to: 2, term: 5, logTerm: 1, index: 1))
    #expect(net[2].term == 1)
    #expect(net[1].role == .leader)
  }

  /// A candidate stuck at a higher term after a partition is freed: the leader learns
  /// the term from its reply and steps down, and the cluster re-elects.
  @Test func stuckCandidateIsFreedWithCheckQuorum() {
    var net = Network(size: 3, options: Self.options(checkQuorum: true))
    for id in UInt64(1)...3 {
      net.peers[id]!.randomizedElectionTimeout = net[id].electionTimeout + 1
    }
    net.send(hup(1))
    net.isolate(1)
    // 3 times out alone twice and climbs terms (2 keeps the lease and ignores it).
    for _ in 0..<2 {
      for _ in 0..<(net[3].randomizedElectionTimeout) { net.peers[3]!.tick() }
      net.send(net.peers[3]!.readMessages())
    }
    #expect(net[3].role == .candidate)
    #expect(net[3].term > net[2].term)
    net.recover()
    net.send(msg(.msgHeartbeat, from: 1, to: 3, term: net[1].term))
    // The stale leader gets 3's term back and steps down.
    #expect(net[1].role == .follower)
    #expect(net[1].term == net[3].term)
  }

  /// With pre-vote, a node returning from a partition does not raise the term, so it does
  /// not disrupt the leader.
  @Test func preVoteStopsDisruptiveRejoin() {
    var net = Network(size: 3, options: Self.options(preVote: true))
    net.send(hup(1))
    net.isolate(3)
    net.send(proposal(""))
    // 3 times out repeatedly while isolated: pre-votes fail, term stays.
    for _ in 0..<5 { net.send(hup(3)) }
    #expect(net[3].term == 1)
    #expect(net[3].role == .preCandidate)
    net.recover()
    net.send(hup(3))
    // The pre-vote is rejected (3's log is behind): nobody changes term.
    #expect(net[1].role == .leader)
    #expect(net[1].term == 1)
    #expect(net[3].term == 1)
    net.send(msg(.msgBeat, from: 1, to: 1))
    #expect(net[3].role == .follower)
    #expect(net[3].log.committed == net[1].log.committed)
  }

  /// Pre-vote then vote: a successful pre-election becomes a real one at term + 1.
  @Test func preVoteElectsAtNextTerm() {
    var net = Network(size: 3, options: Self.options(preVote: true))
    var seen: [MessageType] = []
    net.intercept = { m in
      seen.append(m.msgType)
      return true
    }
    net.send(hup(1))
    #expect(net[1].role == .leader)
    #expect(net[1].term == 1)
    #expect(seen.prefix(4).filter { $0 == .msgPreVote }.count == 2)
    #expect(seen.contains(.msgRequestVote))
  }

  /// A pre-vote request from a lower term gets a rejection at our term, which makes the
  /// stale pre-candidate follow.
  @Test func stalePreVoteIsRejectedWithCurrentTerm() {
    var r = newTestRaft(1, [1, 2], options: Self.options(preVote: true))
    r.becomeFollower(term: 5, lead: 0)
    r.stepIgnoringError(msg(.msgPreVote, from: 2, to: 1, term: 3))
    let resp = r.readMessages()
    #expect(resp.count == 1)
    #expect(resp.first?.msgType == .msgPreVoteResponse)
    #expect(resp.first?.reject == true)
    #expect(resp.first?.term == 5)
  }

  /// Pre-vote grants never change the voter's term or vote.
  @Test func grantingPreVoteChangesNothing() {
    var r = newTestRaft(1, [1, 2, 3], options: Self.options(preVote: true))
    r.becomeFollower(term: 2, lead: 0)
    r.stepIgnoringError(msg(.msgPreVote, from: 2, to: 1, term: 3, logTerm: 2, index: 5))
    #expect(r.term == 2)
    #expect(r.vote == 0)
    #expect(r.readMessages().first?.reject == false)
  }
}
