import Foundation
import Testing
import TinyKVProto

@testable import Raft

/// Leadership transfer: MsgTransferLeader / MsgTimeoutNow (TinyKV 3A / etcd).
@Suite("Leader transfer")
struct LeaderTransferTests {
  static func expectTransferState(
    _ r: Core, _ role: StateRole, _ lead: UInt64, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(r.role == role, sourceLocation: sourceLocation)
    #expect(r.lead == lead, sourceLocation: sourceLocation)
    #expect(r.leadTransferee == 0, sourceLocation: sourceLocation)
  }

  static func cluster() -> Network {
    var net = Network(size: 3)
    net.send(hup(1))
    return net
  }

  @Test func transfersToUpToDateNodeAndBack() {
    var net = Self.cluster()
    #expect(net[1].lead == 1)
    net.send(msg(.msgTransferLeader, from: 2, to: 1))
    Self.expectTransferState(net[1], .follower, 2)
    // After a proposal through the new leader, transfer back.
    net.send(proposal(from: 2, to: 2, ""))
    net.send(msg(.msgTransferLeader, from: 1, to: 2))
    Self.expectTransferState(net[1], .leader, 1)
  }

  @Test func followerForwardsTransferRequest() {
    var net = Self.cluster()
    net.send(msg(.msgTransferLeader, from: 2, to: 2))
    Self.expectTransferState(net[1], .follower, 2)
    net.send(proposal(from: 1, to: 1, ""))
    net.send(msg(.msgTransferLeader, from: 1, to: 1))
    Self.expectTransferState(net[1], .leader, 1)
  }

  /// The leader first brings a lagging transferee up to date.
  @Test func transferCatchesUpSlowFollower() {
    var net = Self.cluster()
    net.isolate(3)
    net.send(proposal(""))
    net.recover()
    #expect(net[1].tracker.progress[3]!.match == 1)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    Self.expectTransferState(net[1], .follower, 3)
    #expect(net[3].role == .leader)
  }

  /// A transferee behind the compacted log is first sent a snapshot.
  @Test func transferAfterSnapshot() throws {
    var net = Self.cluster()
    net.isolate(3)
    net.send(proposal(""))
    _ = net.peers[1]!.persistAndApply()
    let storage = net.storage[1]!
    var cs = Eraftpb_ConfState()
    cs.nodes = net[1].tracker.ids
    try storage.createSnapshot(index: net[1].log.applied, confState: cs)
    try storage.compact(net[1].log.applied)
    net.recover()
    #expect(net[1].tracker.progress[3]!.match == 1)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    // 3's heartbeat response marks it active, so the snapshot goes out.
    net.send(msg(.msgHeartbeatResponse, from: 3, to: 1, term: net[1].term))
    Self.expectTransferState(net[1], .follower, 3)
  }

  @Test func transferToSelfIsNoOp() {
    var net = Self.cluster()
    net.send(msg(.msgTransferLeader, from: 1, to: 1))
    Self.expectTransferState(net[1], .leader, 1)
  }

  @Test func transferToUnknownNodeIsIgnored() {
    var net = Self.cluster()
    net.send(msg(.msgTransferLeader, from: 4, to: 1))
    Self.expectTransferState(net[1], .leader, 1)
  }

  /// An unfinished transfer is abandoned after an election timeout.
  @Test func transferTimesOut() {
    var net = Self.cluster()
    net.isolate(3)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    #expect(net[1].leadTransferee == 3)
    for _ in 0..<net[1].heartbeatTimeout { net.peers[1]!.tick() }
    #expect(net[1].leadTransferee == 3)
    for _ in 0..<(net[1].electionTimeout - net[1].heartbeatTimeout) { net.peers[1]!.tick() }
    Self.expectTransferState(net[1], .leader, 1)
  }

  /// Proposals are refused while a transfer is under way.
  @Test func proposalsRefusedDuringTransfer() {
    var net = Self.cluster()
    net.isolate(3)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    #expect(net[1].leadTransferee == 3)
    _ = net.peers[1]!.readMessages()
    #expect(throws: RaftError.proposalDropped) { try net.peers[1]!.step(proposal("")) }
    #expect(net[1].tracker.progress[1]!.match == 1)
  }

  @Test func higherTermVoteEndsTransfer() {
    var net = Self.cluster()
    net.isolate(3)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    #expect(net[1].leadTransferee == 3)
    net.send(hup(2))
    Self.expectTransferState(net[1], .follower, 2)
  }

  @Test func transferBackToSelfAborts() {
    var net = Self.cluster()
    net.isolate(3)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    #expect(net[1].leadTransferee == 3)
    net.send(msg(.msgTransferLeader, from: 1, to: 1))
    Self.expectTransferState(net[1], .leader, 1)
  }

  @Test func secondTransferToAnotherNodeWins() {
    var net = Self.cluster()
    net.isolate(3)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    #expect(net[1].leadTransferee == 3)
    net.send(msg(.msgTransferLeader, from: 2, to: 1))
    Self.expectTransferState(net[1], .follower, 2)
  }

  /// Repeating the same request does not extend the transfer's deadline.
  @Test func secondTransferToSameNodeKeepsDeadline() {
    var net = Self.cluster()
    net.isolate(3)
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    for _ in 0..<net[1].heartbeatTimeout { net.peers[1]!.tick() }
    net.send(msg(.msgTransferLeader, from: 3, to: 1))
    for _ in 0..<(net[1].electionTimeout - net[1].heartbeatTimeout) { net.peers[1]!.tick() }
    Self.expectTransferState(net[1], .leader, 1)
  }

  /// A node outside the group ignores MsgTimeoutNow and cannot become leader.
  @Test func nonMemberIgnoresTimeoutNow() {
    var r = newTestRaft(1, [2, 3, 4])
    r.stepIgnoringError(msg(.msgTimeoutNow, from: 2, to: 1, term: 0))
    r.stepIgnoringError(msg(.msgRequestVoteResponse, from: 2, to: 1, term: 1))
    r.stepIgnoringError(msg(.msgRequestVoteResponse, from: 3, to: 1, term: 1))
    #expect(r.role == .follower)
  }

  /// The transferee's campaign bypasses the leader lease of check-quorum followers.
  @Test func transferWorksWithCheckQuorum() {
    var options = TestOptions()
    options.checkQuorum = true
    var net = Network(size: 3, options: options)
    // Make sure followers think the leader is alive (inside the lease).
    net.send(hup(1))
    net.send(msg(.msgBeat, from: 1, to: 1))
    net.send(msg(.msgTransferLeader, from: 2, to: 1))
    Self.expectTransferState(net[1], .follower, 2)
    #expect(net[2].role == .leader)
  }
}
