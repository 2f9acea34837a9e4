import Foundation
import Testing
import TinyKVProto

@testable import Raft

/// Election scenarios over a simulated network (TinyKV 2AA / etcd).
@Suite("Election scenarios")
struct ElectionScenarioTests {
  @Test(arguments: [false, true])
  func electsLeaderWhenQuorumReachable(preVote: Bool) {
    var options = TestOptions()
    options.preVote = preVote
    let cases: [([Network.PeerSpec], StateRole)] = [
      ([.fresh, .fresh, .fresh], .leader),
      ([.fresh, .fresh, .blackHole], .leader),
      ([.fresh, .blackHole, .blackHole], preVote ? .preCandidate : .candidate),
      ([.fresh, .blackHole, .blackHole, .fresh], preVote ? .preCandidate : .candidate),
      ([.fresh, .blackHole, .blackHole, .fresh, .fresh], .leader),
    ]
    for (specs, role) in cases {
      var net = Network(specs, options: options)
      net.send(hup(1))
      #expect(net[1].role == role)
      // With pre-vote, a failed pre-election does not raise the term.
      #expect(net[1].term == (preVote && role != .leader ? 0 : 1))
    }
  }

  /// Every node can campaign and win in turn, not only from a clean slate.
  @Test(arguments: [false, true])
  func leadershipCyclesThroughNodes(preVote: Bool) {
    var options = TestOptions()
    options.preVote = preVote
    var net = Network(size: 3, options: options)
    for campaigner in UInt64(1)...3 {
      net.send(hup(campaigner))
      for id in UInt64(1)...3 {
        #expect(net[id].role == (id == campaigner ? .leader : .follower))
      }
    }
  }

  /// A node with a newer but uncommitted log can lose elections; the winner's log then
  /// overwrites it.
  @Test func electionOverwritesNewerUncommittedLogs() {
    // Node 1 wrote an entry at term 1 (uncommitted); node 2 one at term 2; term is 2 now.
    var net = Network([
      .raft(raftWithTerms([1], id: 1)), .raft(raftWithTerms([2], id: 2)),
      .raft(raftThatVoted(3, term: 2, id: 3)), .raft(raftThatVoted(3, term: 2, id: 4)),
      .fresh,
    ])
    // Nodes 3 and 4 already voted in term 2 and node 2's log is newer, so node 1's first
    // campaign (term 2) gets only its own vote and node 5's. Its second (term 3) wins
    // with 3, 4 and 5, and its log (term 1, then its no-op of term 3) overwrites node 2's.
    net.send(hup(1))
    #expect(net[1].role == .follower)
    #expect(net[1].term == 2)
    net.send(hup(1))
    #expect(net[1].role == .leader)
    #expect(net[1].term == 3)
    for id in UInt64(1)...5 {
      #expect(terms(net[id].log.allEntries()) == [1, 3], "node \(id)")
    }
  }

  /// A vote request of a higher term is granted from any role, and makes the voter a
  /// follower at that term (a pre-vote is granted without changing anything).
  @Test(
    arguments: [MessageType.msgRequestVote, .msgPreVote],
    [StateRole.follower, .candidate, .preCandidate, .leader])
  func grantsHigherTermVoteFromAnyRole(voteType: MessageType, role: StateRole) {
    var r = newTestRaft(1, [1, 2, 3])
    r.term = 1
    switch role {
    case .follower: r.becomeFollower(term: r.term, lead: 3)
    case .preCandidate: r.becomePreCandidate()
    case .candidate: r.becomeCandidate()
    case .leader:
      r.becomeCandidate()
      r.becomeLeader()
    }
    let origTerm = r.term
    let origVote = r.vote
    let newTerm = r.term + 1
    r.stepIgnoringError(
      msg(voteType, from: 2, to: 1, term: newTerm, logTerm: newTerm, index: 42))
    let msgs = r.readMessages()
    #expect(msgs.count == 1)
    let resp = msgs.first
    #expect(
      resp?.msgType == (voteType == .msgRequestVote ? .msgRequestVoteResponse : .msgPreVoteResponse)
    )
    #expect(resp?.reject == false)
    #expect(resp?.term == newTerm)
    if voteType == .msgRequestVote {
      #expect(r.role == .follower)
      #expect(r.term == newTerm)
      #expect(r.vote == 2)
    } else {
      #expect(r.role == role)
      #expect(r.term == origTerm)
      #expect(r.vote == origVote)
    }
  }

  @Test func duelingCandidatesResolve() {
    var net = Network(size: 3)
    net.cut(1, 3)
    net.send(hup(1))
    net.send(hup(3))
    // 1 wins with 2's vote; 3 stays candidate (2 already voted in term 1).
    #expect(net[1].role == .leader)
    #expect(net[3].role == .candidate)
    net.recover()
    // 3 campaigns at term 2 with a shorter log: rejected, but it bumps everyone's term.
    net.send(hup(3))
    #expect(net[1].role == .follower)
    #expect(net[1].term == 2)
    #expect(net[2].role == .follower)
    #expect(net[3].role == .follower)
    #expect(net[3].term == 2)
    #expect(net[1].log.committed == 1)
    #expect(terms(net[3].log.allEntries()) == [])
  }

  @Test func candidateConcedesToLeader() {
    var net = Network(size: 3)
    net.isolate(1)
    net.send(hup(1))
    net.send(hup(3))
    net.recover()
    // 3 is leader at term 1; its heartbeat makes the stale candidate 1 concede.
    net.send(msg(.msgBeat, from: 3, to: 3))
    net.send(proposal(from: 3, to: 3, "force follower"))
    net.send(msg(.msgBeat, from: 3, to: 3))
    #expect(net[1].role == .follower)
    #expect(net[1].term == 1)
    for id in UInt64(1)...3 {
      #expect(logDump(net[id]) == logDump(net[3]))
      #expect(net[id].log.committed == 2)
    }
  }

  @Test func singleNodeBecomesLeaderAtOnce() {
    var net = Network(size: 1)
    net.send(hup(1))
    #expect(net[1].role == .leader)
    #expect(net[1].log.committed == 1)
  }

  @Test func campaignWhileLeaderIsIgnored() {
    var r = newTestRaft(1, [1])
    r.stepIgnoringError(hup(1))
    #expect(r.role == .leader)
    let term = r.term
    r.stepIgnoringError(hup(1))
    #expect(r.role == .leader)
    #expect(r.term == term)
  }

  /// Two candidates split the vote; neither wins; a later timeout elects one.
  @Test func splitVoteResolvesOnRetry() {
    var net = Network(size: 4)
    net.isolate(1)
    net.isolate(4)
    // 2 and 3 each campaign; each gets only its own vote (the other already voted).
    net.cut(2, 3)
    net.send(hup(2))
    net.send(hup(3))
    #expect(net[2].role == .candidate)
    #expect(net[3].role == .candidate)
    net.recover()
    net.send(hup(2))
    #expect(net[2].role == .leader)
    #expect(net[2].term == 2)
  }

  @Test(arguments: [MessageType.msgHeartbeat, .msgAppend])
  func candidateResetsTermOnLeaderMessage(type: MessageType) {
    var net = Network(size: 3)
    net.send(hup(1))
    #expect(net[1].role == .leader)
    net.isolate(3)
    net.send(msg(.msgBeat, from: 1, to: 1))
    net.send(hup(1))
    // 3 times out alone and campaigns at a higher term.
    for _ in 0..<(2 * net[3].electionTimeout) { net[3].tick() }
    _ = net[3].readMessages()
    #expect(net[3].role == .candidate)
    #expect(net[3].term > net[1].term)
    // The current leader's message of a lower term is ignored by 3.
    let term = net[3].term
    net.peers[3]!.stepIgnoringError(msg(type, from: 1, to: 3, term: net[1].term))
    #expect(net[3].role == .candidate)
    // A leader message at 3's term resets it to follower.
    net.peers[3]!.stepIgnoringError(msg(type, from: 1, to: 3, term: term))
    #expect(net[3].role == .follower)
    #expect(net[3].term == term)
  }

  /// With check-quorum, a follower whose term raced ahead (partitioned) disrupts the leader
  /// when it comes back; with pre-vote it does not (see PreVoteCheckQuorumTests).
  @Test func disruptiveFollowerForcesNewElection() {
    var options = TestOptions()
    options.checkQuorum = true
    var net = Network(size: 3, options: options)
    net.send(hup(1))
    #expect(net[1].role == .leader)
    // 3 times out alone.
    net.peers[3]!.randomizedElectionTimeout = net[3].electionTimeout + 2
    for _ in 0..<(net[3].randomizedElectionTimeout - 1) { net[3].tick() }
    net[3].tick()
    #expect(net[3].role == .candidate)
    #expect(net[3].term == 2)
    // The leader's heartbeat at term 1 reaches 3, which answers with its higher term.
    net.send(msg(.msgHeartbeat, from: 1, to: 3, term: net[1].term))
    #expect(net[1].role == .follower)
    #expect(net[1].term == 2)
  }

  @Test func allServersStepDownOnHigherTerm() {
    let cases: [(StateRole, MessageType)] = [
      (.follower, .msgRequestVote), (.follower, .msgAppend),
      (.candidate, .msgRequestVote), (.candidate, .msgAppend),
      (.leader, .msgRequestVote), (.leader, .msgAppend),
    ]
    for (role, type) in cases {
      var r = newTestRaft(1, [1, 2, 3])
      switch role {
      case .follower: r.becomeFollower(term: 1, lead: 0)
      case .candidate: r.becomeCandidate()
      default:
        r.becomeCandidate()
        r.becomeLeader()
      }
      r.stepIgnoringError(msg(type, from: 2, to: 1, term: 3, logTerm: 3, index: 3))
      #expect(r.role == .follower)
      #expect(r.term == 3)
      #expect(r.log.lastIndex == (role == .leader ? 1 : 0))
      #expect(r.lead == (type == .msgAppend ? 2 : 0))
    }
  }

  /// Vote granting depends on the vote already cast and the candidate's log position.
  @Test func voteRequestRespectsLogAndPriorVote() {
    for role in [StateRole.follower, .candidate, .leader] {
      let cases: [(index: UInt64, logTerm: UInt64, vote: UInt64, reject: Bool)] = [
        (0, 0, 0, true), (0, 1, 0, true), (0, 2, 0, true), (0, 3, 0, false),
        (1, 0, 0, true), (1, 1, 0, true), (1, 2, 0, true), (1, 3, 0, false),
        (2, 0, 0, true), (2, 1, 0, true), (2, 2, 0, false), (2, 3, 0, false),
        (3, 0, 0, true), (3, 1, 0, true), (3, 2, 0, false), (3, 3, 0, false),
        (3, 2, 2, false), (3, 2, 1, true),
        (3, 2, 1, true), (3, 3, 1, true),
      ]
      for c in cases {
        var r = newTestRaft(1, [1, 2], storage: storageWithTerms([2, 2]))
        r.role = role
        r.term = 2
        r.vote = c.vote
        r.stepIgnoringError(
          msg(.msgRequestVote, from: 2, to: 1, term: 2, logTerm: c.logTerm, index: c.index))
        let msgs = r.readMessages()
        #expect(msgs.count == 1)
        #expect(msgs.first?.msgType == .msgRequestVoteResponse)
        #expect(msgs.first?.reject == c.reject, "\(role) \(c)")
      }
    }
  }

  /// MsgBeat makes only a leader send heartbeats.
  @Test(arguments: [StateRole.leader, .candidate, .follower])
  func beatSendsHeartbeatsOnlyFromLeader(role: StateRole) {
    var r = newTestRaft(1, [1, 2, 3], storage: storageWithTerms([0, 1]))
    r.term = 1
    r.role = role
    r.stepIgnoringError(msg(.msgBeat, from: 1, to: 1))
    let msgs = r.readMessages()
    #expect(msgs.count == (role == .leader ? 2 : 0))
    #expect(msgs.allSatisfy { $0.msgType == .msgHeartbeat })
  }

  /// Messages of old terms are ignored; the log is unaffected.
  @Test func oldMessagesAreIgnored() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.send(hup(2))
    net.send(hup(1))
    #expect(net[1].term == 3)
    // An append from the term-2 leader must not change anything.
    net.send(msg(.msgAppend, from: 2, to: 1, term: 2, entries: [entry(2, 3)]))
    net.send(proposal(from: 1, to: 1, "somedata"))
    for id in UInt64(1)...3 {
      #expect(terms(net[id].log.allEntries()) == [1, 2, 3, 3])
      #expect(net[id].log.committed == 4)
      #expect(net[id].log.allEntries().last?.data == Data("somedata".utf8))
    }
  }
}
