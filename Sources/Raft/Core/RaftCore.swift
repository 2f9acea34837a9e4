import Foundation
import TinyKVProto
import Randomness

/// Faults a test can inject to prove that the safety checks notice broken behaviour.
/// Never set outside tests.
struct FaultInjection: OptionSet, Sendable {
  let rawValue: UInt8
  /// Grant a vote even after voting for someone else in the same term.
  static let voteTwice = FaultInjection(rawValue: 1 << 0)
  /// Grant votes without checking that the candidate's log is up to date.
  static let ignoreLogCheck = FaultInjection(rawValue: 1 << 1)
}

/// A read request waiting for a heartbeat quorum to confirm leadership.
struct PendingRead {
  /// The read round; confirmed once a quorum has acknowledged a heartbeat of this round.
  var round: UInt64
  /// The commit index when the read arrived: the read index.
  var index: UInt64
  /// Who asked (0 or this node: local).
  var from: UInt64
  var context: Data
}

/// The Raft state machine of one node: roles, terms, votes, the log and replication.
///
/// Deterministic: inputs are ``step(_:)`` and ``tick()``; outputs accumulate in `msgs`,
/// `readStates` and the log's unstable part, which ``RawNode`` packs into ``Ready``.
struct RaftCore<Storage: LogStorage> {
  let id: UInt64

  // Persistent state (HardState). Invariant: `vote` is for `term`.
  var term: UInt64 = 0
  var vote: UInt64 = 0

  var log: RaftLog<Storage>
  var tracker: ProgressTracker

  var role: StateRole = .follower
  /// The leader of `term`, or 0 when unknown.
  var lead: UInt64 = 0

  /// Messages to send, drained into ``Ready/messages``.
  var msgs: [Eraftpb_Message] = []
  /// Confirmed reads, drained into ``Ready/readStates``.
  var readStates: [ReadState] = []

  /// Ticks since the last election timeout reset (for leaders: since the last quorum check).
  var electionElapsed = 0
  /// Leader only: ticks since the last heartbeat.
  var heartbeatElapsed = 0
  let electionTimeout: Int
  let heartbeatTimeout: Int
  /// Drawn from `electionTimeout ..< 2 * electionTimeout` at every reset.
  var randomizedElectionTimeout: Int

  /// Leader only: the peer leadership is being transferred to, or 0.
  var leadTransferee: UInt64 = 0
  /// Leader only: the index of the latest conf change proposed; a new one is refused while
  /// it is above `applied`.
  var pendingConfIndex: UInt64 = 0

  let checkQuorum: Bool
  let preVote: Bool
  /// Followers drop proposals rather than forward them to the leader.
  let disableProposalForwarding: Bool
  let maxMsgSize: UInt64
  var rng: SplitMix64

  // ReadIndex (leader only).
  /// The latest read round issued. Heartbeats carry it; monotonic for the node's lifetime.
  var readSeq: UInt64 = 0
  /// The highest read round each peer has acknowledged in this term.
  var readAcks: [UInt64: UInt64] = [:]
  /// Reads waiting for confirmation, in round order.
  var pendingReads: [PendingRead] = []
  /// Reads received before the leader committed an entry of its term.
  var pendingReadIndexMessages: [Eraftpb_Message] = []

  var faults: FaultInjection = []

  init(config: RaftConfig<Storage>) throws(RaftError) {
    try config.validate()
    id = config.id
    log = try RaftLog(storage: config.storage, maxNextEntriesSize: config.maxCommittedSizePerReady)
    let state = try config.storage.initialState()
    let peers = state.confState.nodes.isEmpty ? config.peers : state.confState.nodes
    tracker = ProgressTracker(voters: peers, maxInflight: config.maxInflightMsgs)
    electionTimeout = config.electionTick
    heartbeatTimeout = config.heartbeatTick
    randomizedElectionTimeout = config.electionTick
    checkQuorum = config.checkQuorum
    preVote = config.preVote
    disableProposalForwarding = config.disableProposalForwarding
    maxMsgSize = config.maxSizePerMsg
    rng = SplitMix64(seed: config.randomSeed)
    let hs = state.hardState
    if !hs.isEmpty {
      if hs.commit < log.committed || hs.commit > log.lastIndex {
        throw RaftError(
          code: .invalidConfig,
          message:
            "hard state commit \(hs.commit) is out of range [\(log.committed), \(log.lastIndex)]")
      }
      log.committed = hs.commit
      term = hs.term
      vote = hs.vote
    }
    if config.applied > 0 {
      if config.applied > log.committed {
        throw RaftError(
          code: .invalidConfig,
          message: "applied \(config.applied) is beyond commit \(log.committed)")
      }
      log.applied = max(log.applied, config.applied)
    }
    becomeFollower(term: term, lead: 0)
  }

  // MARK: State

  var softState: SoftState { SoftState(leaderID: lead, role: role) }
  var hardState: Eraftpb_HardState {
    Eraftpb_HardState(term: term, vote: vote, commit: log.committed)
  }

  /// Whether this node may become leader: it must be a voter in its own configuration.
  var promotable: Bool { tracker.contains(id) }

  var quorum: Int { tracker.voters.quorum }

  // MARK: Role transitions

  mutating func becomeFollower(term: UInt64, lead: UInt64) {
    reset(term: term)
    self.lead = lead
    role = .follower
  }

  mutating func becomeCandidate() {
    precondition(role != .leader, "invalid transition [leader -> candidate]")
    reset(term: term + 1)
    vote = id
    role = .candidate
  }

  /// Pre-candidates ask for votes at `term + 1` without changing term or vote.
  mutating func becomePreCandidate() {
    precondition(role != .leader, "invalid transition [leader -> pre-candidate]")
    tracker.resetVotes()
    role = .preCandidate
    lead = 0
  }

  mutating func becomeLeader() {
    precondition(role != .follower, "invalid transition [follower -> leader]")
    reset(term: term)
    lead = id
    role = .leader
    if tracker.progress[id] != nil {
      tracker.progress[id]!.becomeReplicate()
      tracker.progress[id]!.recentActive = true
    }
    // Conservatively assume the unapplied tail may hold a conf change.
    pendingConfIndex = log.lastIndex
    // The no-op entry of the new term: committing it commits everything before it.
    appendEntries([Eraftpb_Entry()])
  }

  mutating func reset(term: UInt64) {
    if self.term != term {
      self.term = term
      vote = 0
    }
    lead = 0
    electionElapsed = 0
    heartbeatElapsed = 0
    resetRandomizedElectionTimeout()
    leadTransferee = 0
    tracker.resetVotes()
    let last = log.lastIndex
    for peer in tracker.ids {
      tracker.progress[peer] = Progress(
        match: peer == id ? last : 0, next: last + 1, maxInflight: tracker.maxInflight)
    }
    pendingConfIndex = 0
    readAcks.removeAll()
    pendingReads.removeAll()
    pendingReadIndexMessages.removeAll()
  }

  mutating func resetRandomizedElectionTimeout() {
    randomizedElectionTimeout =
      electionTimeout + Int.random(in: 0..<electionTimeout, using: &rng)
  }

  // MARK: Ticks

  /// Advances the logical clock by one tick.
  mutating func tick() {
    switch role {
    case .leader: tickHeartbeat()
    case .follower, .candidate, .preCandidate: tickElection()
    }
  }

  private mutating func tickElection() {
    electionElapsed += 1
    if promotable && electionElapsed >= randomizedElectionTimeout {
      electionElapsed = 0
      try? step(Eraftpb_Message(type: .msgHup, from: id))
    }
  }

  private mutating func tickHeartbeat() {
    heartbeatElapsed += 1
    electionElapsed += 1
    if electionElapsed >= electionTimeout {
      electionElapsed = 0
      if checkQuorum {
        if !tracker.quorumActive(selfID: id) {
          becomeFollower(term: term, lead: 0)
        } else {
          for peer in tracker.ids where peer != id { tracker.progress[peer]!.recentActive = false }
        }
      }
      // A transfer that did not finish within an election timeout is abandoned.
      if role == .leader && leadTransferee != 0 { abortLeaderTransfer() }
    }
    guard role == .leader else { return }
    if heartbeatElapsed >= heartbeatTimeout {
      heartbeatElapsed = 0
      try? step(Eraftpb_Message(type: .msgBeat, from: id))
    }
  }

  // MARK: Sending

  /// Queues `message`, stamping `from` and (except for votes, proposals and reads, which set
  /// their own) the current term.
  mutating func send(_ message: Eraftpb_Message) {
    var m = message
    if m.from == 0 { m.from = id }
    switch m.msgType {
    case .msgRequestVote, .msgRequestVoteResponse, .msgPreVote, .msgPreVoteResponse:
      precondition(m.term != 0, "term should be set when sending \(m.msgType)")
    case .msgPropose, .msgReadIndex:
      break
    default:
      m.term = term
    }
    msgs.append(m)
  }

  // MARK: Step

  /// Feeds one message into the state machine: first the term prelude (any higher term
  /// makes us follow; lower terms are ignored), then the role's step function.
  mutating func step(_ m: Eraftpb_Message) throws(RaftError) {
    if m.term == 0 {
      // Local message.
    } else if m.term > term {
      if m.msgType.isVoteRequest {
        // Leader lease: a follower that heard from a leader within the election timeout
        // ignores vote requests, unless a leadership transfer started the campaign.
        let inLease = checkQuorum && lead != 0 && electionElapsed < electionTimeout
        if inLease && !m.isTransferCampaign { return }
      }
      switch m.msgType {
      case .msgPreVote:
        break  // a pre-vote never changes our term
      case .msgPreVoteResponse where !m.reject:
        break  // counted by the pre-candidate at its own term
      case .msgAppend, .msgHeartbeat, .msgSnapshot:
        becomeFollower(term: m.term, lead: m.from)
      default:
        becomeFollower(term: m.term, lead: 0)
      }
    } else if m.term < term {
      if m.msgType == .msgHeartbeat || m.msgType == .msgAppend {
        // Tell a stale leader our term. Otherwise a node whose term ran ahead (a partition,
        // or an old membership naming only peers that are gone) could never rejoin: it
        // ignores the leader, and the leader never hears of its term.
        send(Eraftpb_Message(type: .msgAppendResponse, to: m.from))
      } else if m.msgType == .msgPreVote {
        send(Eraftpb_Message(type: .msgPreVoteResponse, to: m.from, term: term, reject: true))
      }
      return
    }

    switch m.msgType {
    case .msgHup:
      hup(transfer: false)
    case .msgRequestVote, .msgPreVote:
      handleVoteRequest(m)
    default:
      switch role {
      case .leader: try stepLeader(m)
      case .candidate, .preCandidate: try stepCandidate(m)
      case .follower: try stepFollower(m)
      }
    }
  }

  private mutating func handleVoteRequest(_ m: Eraftpb_Message) {
    let responseType: Eraftpb_MessageType =
      m.msgType == .msgPreVote ? .msgPreVoteResponse : .msgRequestVoteResponse
    let canVote =
      vote == m.from
      || (vote == 0 && lead == 0)
      || (m.msgType == .msgPreVote && m.term > term)
      || faults.contains(.voteTwice)
    let upToDate =
      faults.contains(.ignoreLogCheck) || log.isUpToDate(lastIndex: m.index, term: m.logTerm)
    if canVote && upToDate {
      // Answer at the request's term: for a pre-vote that is a term we have not reached.
      send(Eraftpb_Message(type: responseType, to: m.from, term: m.term))
      if m.msgType == .msgRequestVote {
        electionElapsed = 0
        vote = m.from
      }
    } else {
      send(Eraftpb_Message(type: responseType, to: m.from, term: term, reject: true))
    }
  }

  // MARK: Elections

  /// Starts an election (after an election timeout, `campaign`, or `MsgTimeoutNow`).
  mutating func hup(transfer: Bool) {
    if role == .leader || !promotable { return }
    if hasUnappliedConfChange() { return }
    if preVote && !transfer {
      campaign(preElection: true, transfer: false)
    } else {
      campaign(preElection: false, transfer: transfer)
    }
  }

  /// A conf change that is committed but not applied might change who may vote, so a node
  /// does not campaign until it is applied.
  private func hasUnappliedConfChange() -> Bool {
    guard log.committed > log.applied else { return false }
    let entries = (try? log.slice(log.applied + 1, log.committed + 1, maxSize: .max)) ?? []
    return entries.contains { $0.entryType == .entryConfChange }
  }

  mutating func campaign(preElection: Bool, transfer: Bool) {
    let voteType: Eraftpb_MessageType
    let campaignTerm: UInt64
    if preElection {
      becomePreCandidate()
      voteType = .msgPreVote
      campaignTerm = term + 1
    } else {
      becomeCandidate()
      voteType = .msgRequestVote
      campaignTerm = term
    }
    if poll(id, granted: true) == .won {
      // A single-voter group wins at once.
      if preElection {
        campaign(preElection: false, transfer: transfer)
      } else {
        becomeLeader()
      }
      return
    }
    let lastIndex = log.lastIndex
    let lastTerm = log.lastTerm
    for peer in tracker.ids where peer != id {
      var m = Eraftpb_Message(
        type: voteType, to: peer, term: campaignTerm, logTerm: lastTerm, index: lastIndex)
      m.isTransferCampaign = transfer
      send(m)
    }
  }

  mutating func poll(_ from: UInt64, granted: Bool) -> VoteResult {
    tracker.recordVote(from, granted: granted)
  }
}

extension RaftCore: Sendable where Storage: Sendable {}
extension PendingRead: Sendable {}
