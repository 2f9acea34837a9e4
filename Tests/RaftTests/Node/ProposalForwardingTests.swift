import Foundation
import Testing
import TinyKVProto

@testable import Raft

/// `disableProposalForwarding`: a follower that knows its leader either forwards a local
/// proposal to it (the default) or drops it with `proposalDropped`.
@Suite("Proposal forwarding")
struct ProposalForwardingTests {
  /// Node 2 of {1, 2, 3}, following node 1 at term 1 (it heard a heartbeat), with nothing
  /// left to send.
  func follower(disableForwarding: Bool) throws -> RawNode<MemoryStorage> {
    let storage = MemoryStorage()
    var options = TestOptions()
    options.disableProposalForwarding = disableForwarding
    var node = try newTestRawNode(2, [1, 2, 3], storage: storage, options: options)
    try node.step(msg(.msgHeartbeat, from: 1, to: 2, term: 1))
    try handleReady(&node, storage)
    #expect(node.role == .follower && node.leaderID == 1)
    #expect(!node.hasReady)
    return node
  }

  @Test("with forwarding disabled, a follower's proposal throws proposalDropped and sends nothing")
  func disabledDrops() throws {
    var node = try follower(disableForwarding: true)
    #expect(throws: RaftError.proposalDropped) { try node.propose(Data("x".utf8)) }
    #expect(throws: RaftError.proposalDropped) {
      try node.propose(contentsOf: [Data("y".utf8), Data("z".utf8)])
    }
    #expect(!node.hasReady, "a dropped proposal must not go to the leader")
    #expect(node.lastIndex == 0)
  }

  @Test("by default a follower forwards its proposal to the leader")
  func defaultForwards() throws {
    var node = try follower(disableForwarding: false)
    try node.propose(Data("x".utf8))
    let messages = node.ready().messages
    #expect(messages.count == 1)
    #expect(messages.first?.msgType == .msgPropose)
    #expect(messages.first?.to == 1)
    #expect(messages.first?.entries.map(\.data) == [Data("x".utf8)])
  }

  @Test("the leader itself still takes proposals with forwarding disabled")
  func leaderUnaffected() throws {
    var options = TestOptions()
    options.disableProposalForwarding = true
    let storage = MemoryStorage()
    var node = try newTestRawNode(1, [1], storage: storage, options: options)
    try node.campaign()
    try handleReady(&node, storage)
    #expect(node.role == .leader)
    let before = node.lastIndex
    try node.propose(Data("x".utf8))
    #expect(node.lastIndex == before + 1)
  }
}
