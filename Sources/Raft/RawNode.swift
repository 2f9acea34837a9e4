import Foundation
import TinyKVProto

/// The application's handle on a Raft node: a pure state machine driven by ``tick()``,
/// ``step(_:)`` and proposals, whose effects come out through ``ready()``.
///
/// A typical loop:
/// ```swift
/// node.tick()                  // on a timer
/// try node.step(message)       // for each message from a peer
/// if node.hasReady {
///   let rd = node.ready()
///   persist(rd)                // snapshot, entries, hard state; sync if rd.mustSync
///   send(rd.messages)
///   apply(rd.committedEntries) // conf changes: node.applyConfChange(cc)
///   node.advance(rd)
/// }
/// ```
/// Exactly one `Ready` may be outstanding: call ``advance(_:)`` before the next
/// ``ready()``. Between them, the node may still be ticked and stepped.
public struct RawNode<Storage: LogStorage> {
  var raft: RaftCore<Storage>
  private var prevSoftState: SoftState
  private var prevHardState: Eraftpb_HardState
  private var readyOutstanding = false

  /// Creates a node from `config`, restoring what its storage holds.
  /// - Throws: ``RaftError/Code/invalidConfig`` for a bad configuration, or a storage error.
  public init(config: RaftConfig<Storage>) throws(RaftError) {
    raft = try RaftCore(config: config)
    prevSoftState = raft.softState
    prevHardState = raft.hardState
  }

  // MARK: Inputs

  /// Advances the logical clock: followers count towards an election, leaders towards a
  /// heartbeat.
  public mutating func tick() { raft.tick() }

  /// Starts an election now (with pre-vote first when enabled).
  public mutating func campaign() throws(RaftError) {
    try raft.step(Eraftpb_Message(type: .msgHup))
  }

  /// Proposes `data` for the log. On a follower the proposal is forwarded to the leader
  /// (unless ``RaftConfig/disableProposalForwarding`` is set).
  /// - Throws: ``RaftError/proposalDropped`` if no leader is known, this node is a follower
  ///   with forwarding disabled, a leadership transfer is in progress, or this node was
  ///   removed. Acceptance is no promise of commit: the
  ///   entry may still be overwritten by a new leader.
  public mutating func propose(_ data: Data) throws(RaftError) {
    try raft.step(
      Eraftpb_Message(type: .msgPropose, entries: [Eraftpb_Entry(term: 0, index: 0, data: data)]))
  }

  /// Proposes several entries in one message (they are appended together).
  public mutating func propose(contentsOf batch: [Data]) throws(RaftError) {
    guard !batch.isEmpty else { return }
    var entries: [Eraftpb_Entry] = []
    entries.reserveCapacity(batch.count)
    for data in batch { entries.append(Eraftpb_Entry(term: 0, index: 0, data: data)) }
    try raft.step(Eraftpb_Message(type: .msgPropose, entries: entries))
  }

  /// Proposes a membership change (one node added or removed).
  /// - Throws: ``RaftError/proposalDropped`` also when a previous change is not yet applied.
  public mutating func proposeConfChange(_ change: Eraftpb_ConfChange) throws(RaftError) {
    let data: Data
    do {
      data = try change.serializedData()
    } catch {
      throw RaftError(code: .proposalDropped, message: "cannot encode conf change: \(error)")
    }
    try raft.step(
      Eraftpb_Message(
        type: .msgPropose,
        entries: [Eraftpb_Entry(term: 0, index: 0, data: data, type: .entryConfChange)]))
  }

  /// Applies a committed membership change; call it when applying its entry.
  /// - Returns: the membership after the change (persist it with the applied state).
  @discardableResult
  public mutating func applyConfChange(_ change: Eraftpb_ConfChange) -> Eraftpb_ConfState {
    raft.applyConfChange(change)
  }

  /// Feeds a message received from a peer.
  /// - Throws: ``RaftError/stepLocalMessage`` for a local-only message type;
  ///   ``RaftError/stepPeerNotFound`` for a response from a peer not in the group;
  ///   ``RaftError/proposalDropped`` for a forwarded proposal this node cannot take.
  public mutating func step(_ message: Eraftpb_Message) throws(RaftError) {
    if message.msgType.isLocal { throw .stepLocalMessage }
    if message.msgType.isResponse && !raft.tracker.contains(message.from) {
      throw .stepPeerNotFound
    }
    try raft.step(message)
  }

  /// Asks the leader to hand leadership to `transferee`. The leader brings it up to date,
  /// then tells it to campaign; proposals are refused meanwhile, and the transfer is
  /// abandoned after an election timeout.
  public mutating func transferLeader(to transferee: UInt64) {
    try? raft.step(Eraftpb_Message(type: .msgTransferLeader, from: transferee))
  }

  /// Requests a linearizable read. When confirmed, a ``ReadState`` with `context` and the
  /// read index appears in a later ``Ready``; the read may be served once the application
  /// has applied up to that index. Requests may be lost (leader change): retry on timeout.
  /// - Throws: ``RaftError/proposalDropped`` if no leader is known.
  public mutating func readIndex(_ context: Data) throws(RaftError) {
    try raft.step(
      Eraftpb_Message(
        type: .msgReadIndex, entries: [Eraftpb_Entry(term: 0, index: 0, data: context)]))
  }

  /// Tells the leader that `peer` could not be reached: stop streaming to it and probe.
  public mutating func reportUnreachable(_ peer: UInt64) {
    guard raft.role == .leader, let pr = raft.tracker.progress[peer] else { return }
    if pr.state == .replicate { raft.tracker.progress[peer]!.becomeProbe() }
  }

  /// Tells the leader whether a snapshot sent to `peer` was delivered. On failure the
  /// leader probes again (and sends a new snapshot if still needed).
  public mutating func reportSnapshot(_ peer: UInt64, succeeded: Bool) {
    guard raft.role == .leader, let pr = raft.tracker.progress[peer], pr.state == .snapshot
    else { return }
    if !succeeded { raft.tracker.progress[peer]!.pendingSnapshot = 0 }
    raft.tracker.progress[peer]!.becomeProbe()
    // Wait for the follower's answer (or the next heartbeat response) before probing.
    raft.tracker.progress[peer]!.probeSent = true
  }

  // MARK: Outputs

  /// Whether ``ready()`` has anything to hand out.
  public var hasReady: Bool {
    if raft.softState != prevSoftState { return true }
    let hs = raft.hardState
    if !hs.isEmpty && hs != prevHardState { return true }
    if raft.log.unstable.snapshot != nil { return true }
    if !raft.msgs.isEmpty || !raft.readStates.isEmpty { return true }
    if !raft.log.unstable.entries.isEmpty { return true }
    return raft.log.hasNextEntries
  }

  /// Collects what the application must persist, send and apply. See ``Ready`` for the
  /// order; call ``advance(_:)`` when done.
  public mutating func ready() -> Ready {
    precondition(!readyOutstanding, "ready() called again before advance()")
    readyOutstanding = true
    var rd = Ready()
    rd.entries = raft.log.unstable.entries
    rd.snapshot = raft.log.unstable.snapshot
    rd.committedEntries = raft.log.nextEntries()
    swap(&rd.messages, &raft.msgs)
    swap(&rd.readStates, &raft.readStates)
    let soft = raft.softState
    if soft != prevSoftState {
      rd.softState = soft
      prevSoftState = soft
    }
    let hs = raft.hardState
    if hs != prevHardState {
      rd.mustSync = hs.term != prevHardState.term || hs.vote != prevHardState.vote
      rd.hardState = hs
      prevHardState = hs
    }
    if !rd.entries.isEmpty || rd.snapshot != nil { rd.mustSync = true }
    return rd
  }

  /// Tells the node that `ready` was persisted, sent and applied.
  public mutating func advance(_ ready: Ready) {
    readyOutstanding = false
    if let snapshot = ready.snapshot {
      raft.log.stableSnapshot(to: snapshot.metadata.index)
      raft.log.applied = max(raft.log.applied, snapshot.metadata.index)
    }
    if let last = ready.committedEntries.last {
      raft.log.applied(to: last.index)
    }
    if let last = ready.entries.last {
      raft.log.stable(to: last.index, term: last.term)
    }
    // Reads arriving before the leader committed in its term may now proceed.
    if raft.role == .leader { raft.releasePendingReadIndexMessages() }
  }

  // MARK: Inspection

  /// The node's id.
  public var id: UInt64 { raft.id }
  /// The known leader, or 0.
  public var leaderID: UInt64 { raft.lead }
  /// The peer this leader is handing leadership to, or 0 when no transfer is under way.
  public var leadTransferee: UInt64 { raft.leadTransferee }
  /// The current role.
  public var role: StateRole { raft.role }
  /// The current term.
  public var term: UInt64 { raft.term }
  /// The current membership.
  public var confState: Eraftpb_ConfState { raft.confState }
  /// The index of the last entry in the log. On the leader, the entries of the next
  /// accepted proposal get indexes from `lastIndex + 1` on (a store uses this to match
  /// proposals to their callbacks, and the term to detect overwritten ones).
  public var lastIndex: UInt64 { raft.log.lastIndex }
  /// The commit index.
  public var committedIndex: UInt64 { raft.log.committed }

  /// The node's state; replication progress only on the leader.
  public var status: RaftStatus {
    RaftStatus(
      id: raft.id, hardState: raft.hardState, softState: raft.softState,
      applied: raft.log.applied,
      progress: raft.role == .leader ? raft.tracker.progress : [:],
      leadTransferee: raft.leadTransferee)
  }
}

extension RawNode: Sendable where Storage: Sendable {}
