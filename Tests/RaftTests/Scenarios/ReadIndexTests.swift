import Foundation
import Testing
import TinyKVProto

@testable import Raft

func readRequest(from: UInt64, to: UInt64, _ context: String) -> Message {
  msg(.msgReadIndex, from: from, to: to, entries: [entry(0, 0, context)])
}

/// ReadIndex: linearizable reads confirmed by a heartbeat quorum, without log appends.
@Suite("ReadIndex")
struct ReadIndexTests {
  @Test func leaderConfirmsReadWithHeartbeatQuorum() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.send(proposal("x"))
    let lastIndex = net[1].log.lastIndex
    net.send(readRequest(from: 0, to: 1, "ctx1"))
    let states = net.peers[1]!.readStates
    #expect(states == [ReadState(index: net[1].log.committed, requestContext: Data("ctx1".utf8))])
    // No entry was appended for the read.
    #expect(net[1].log.lastIndex == lastIndex)
  }

  @Test func followerForwardsReadToLeader() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.send(proposal("x"))
    net.send(readRequest(from: 0, to: 2, "ctx2"))
    #expect(
      net[2].readStates == [
        ReadState(index: net[1].log.committed, requestContext: Data("ctx2".utf8))
      ])
    #expect(net[1].readStates.isEmpty)
  }

  @Test func isolatedLeaderCannotConfirmRead() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.isolate(1)
    net.send(readRequest(from: 0, to: 1, "ctx"))
    #expect(net[1].readStates.isEmpty)
    #expect(net[1].pendingReads.count == 1)
    // Once heartbeats get through, the read is confirmed.
    net.recover()
    net.send(msg(.msgBeat, from: 1, to: 1))
    #expect(net[1].readStates.count == 1)
    #expect(net[1].pendingReads.isEmpty)
  }

  /// One heartbeat round confirms every read queued before it.
  @Test func heartbeatRoundConfirmsQueuedReads() {
    var net = Network(size: 3)
    net.send(hup(1))
    net.ignore(.msgHeartbeat)
    for i in 0..<3 { net.send(readRequest(from: 0, to: 1, "r\(i)")) }
    #expect(net[1].readStates.isEmpty)
    net.recover()
    net.send(msg(.msgBeat, from: 1, to: 1))
    #expect(
      net[1].readStates.map { String(decoding: $0.requestContext, as: UTF8.self) } == [
        "r0", "r1", "r2",
      ])
  }

  @Test func singleNodeAnswersAtOnce() {
    var net = Network(size: 1)
    net.send(hup(1))
    net.send(readRequest(from: 0, to: 1, "solo"))
    #expect(net[1].readStates.count == 1)
    #expect(net[1].readStates.first?.index == 1)
  }

  /// A new leader answers reads only after committing an entry of its own term.
  @Test func newLeaderWaitsForCommitInTerm() {
    var r = newTestRaft(1, [1, 2, 3])
    r.becomeCandidate()
    r.becomeLeader()
    _ = r.readMessages()
    r.stepIgnoringError(readRequest(from: 0, to: 1, "early"))
    #expect(r.pendingReadIndexMessages.count == 1)
    #expect(r.readStates.isEmpty)
    // Commit the no-op; the read is released and a heartbeat round starts.
    r.commitNoopEntry()
    #expect(r.pendingReadIndexMessages.isEmpty)
    #expect(r.pendingReads.count == 1)
    r.stepIgnoringError(msg(.msgHeartbeatResponse, from: 2, to: 1, term: r.term, index: r.readSeq))
    #expect(r.readStates.count == 1)
    #expect(r.readStates.first?.index == 1)
  }

  /// A heartbeat response for an older round does not confirm a newer read.
  @Test func staleRoundDoesNotConfirm() {
    var r = newTestRaft(1, [1, 2, 3])
    r.becomeCandidate()
    r.becomeLeader()
    r.commitNoopEntry()
    r.stepIgnoringError(readRequest(from: 0, to: 1, "a"))
    let round = r.readSeq
    r.stepIgnoringError(msg(.msgHeartbeatResponse, from: 2, to: 1, term: r.term, index: round - 1))
    #expect(r.readStates.isEmpty)
    r.stepIgnoringError(msg(.msgHeartbeatResponse, from: 3, to: 1, term: r.term, index: round))
    #expect(r.readStates.count == 1)
  }

  @Test func readWithoutLeaderIsDropped() {
    var r = newTestRaft(1, [1, 2, 3])
    #expect(throws: RaftError.proposalDropped) { try r.step(readRequest(from: 0, to: 1, "x")) }
  }
}
