/// How a Raft node is set up.
public struct RaftConfig<Storage: LogStorage> {
  /// This node's id; never 0.
  public var id: UInt64
  /// The initial voters for a brand-new group. Leave empty when restarting: the
  /// membership then comes from ``LogStorage/initialState()``.
  public var peers: [UInt64]
  /// Ticks a follower waits without hearing from a leader before campaigning; the actual
  /// timeout is drawn at random from `electionTick ..< 2 * electionTick`.
  public var electionTick: Int
  /// Ticks between a leader's heartbeats. Must be less than ``electionTick``.
  public var heartbeatTick: Int
  /// The stable log.
  public var storage: Storage
  /// The last index the application applied (when restarting); 0 for a new node.
  public var applied: UInt64
  /// Campaign in two phases (pre-vote, then vote) so that a node rejoining from a
  /// partition does not disrupt the group by raising the term.
  public var preVote: Bool
  /// The leader steps down if it has not heard from a quorum within an election timeout,
  /// and followers that heard from a leader within it ignore vote requests (leader lease).
  public var checkQuorum: Bool
  /// A follower drops local proposals (``RawNode/propose(_:)`` and its kin throw
  /// ``RaftError/proposalDropped``, as when no leader is known) instead of forwarding them to
  /// the leader, so that the application can redirect the client to the leader itself
  /// (etcd's and raft-rs's `disable_proposal_forwarding`). Candidates always drop them.
  public var disableProposalForwarding: Bool
  /// The maximum number of append messages in flight to one follower.
  public var maxInflightMsgs: Int
  /// The maximum bytes of entries in one append message (at least one entry is sent).
  public var maxSizePerMsg: UInt64
  /// The maximum bytes of committed entries handed out in one ``Ready``.
  public var maxCommittedSizePerReady: UInt64
  /// The seed for the randomized election timeout.
  public var randomSeed: UInt64

  /// Creates a configuration with the usual defaults for the options.
  public init(
    id: UInt64, peers: [UInt64] = [], electionTick: Int = 10, heartbeatTick: Int = 1,
    storage: Storage, applied: UInt64 = 0, preVote: Bool = false, checkQuorum: Bool = false,
    disableProposalForwarding: Bool = false, maxInflightMsgs: Int = 256, maxSizePerMsg: UInt64 = 1 << 20,
    maxCommittedSizePerReady: UInt64 = .max, randomSeed: UInt64? = nil
  ) {
    self.id = id
    self.peers = peers
    self.electionTick = electionTick
    self.heartbeatTick = heartbeatTick
    self.storage = storage
    self.applied = applied
    self.preVote = preVote
    self.checkQuorum = checkQuorum
    self.disableProposalForwarding = disableProposalForwarding
    self.maxInflightMsgs = maxInflightMsgs
    self.maxSizePerMsg = maxSizePerMsg
    self.maxCommittedSizePerReady = maxCommittedSizePerReady
    self.randomSeed = randomSeed ?? (id &* 0x9E37_79B9_7F4A_7C15)
  }

  /// Checks the configuration.
  /// - Throws: ``RaftError/Code/invalidConfig`` with the reason.
  public func validate() throws(RaftError) {
    func fail(_ message: String) -> RaftError { RaftError(code: .invalidConfig, message: message) }
    if id == 0 { throw fail("cannot use 0 as id") }
    if heartbeatTick <= 0 { throw fail("heartbeat tick must be greater than 0") }
    if electionTick <= heartbeatTick {
      throw fail("election tick must be greater than heartbeat tick")
    }
    if maxInflightMsgs <= 0 { throw fail("max inflight messages must be greater than 0") }
  }
}

extension RaftConfig: Sendable where Storage: Sendable {}
