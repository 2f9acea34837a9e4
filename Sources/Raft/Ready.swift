import TinyKVProto

/// Everything a node needs the application to do, handed out by ``RawNode/ready()``.
///
/// The caller's contract, in this order:
/// 1. **Persist**: if ``snapshot`` is set, install it in storage; append ``entries`` to
///    storage (replacing any stored entries from the first new index on); save
///    ``hardState`` if set. Sync if ``mustSync``.
/// 2. **Send** ``messages`` (only after step 1: they may depend on what was persisted,
///    such as a vote or an entry acknowledged to the leader).
/// 3. **Apply** ``committedEntries`` in order; for an `EntryConfChange`, call
///    ``RawNode/applyConfChange(_:)``. Serve ``readStates`` once applied up to their index.
/// 4. Call ``RawNode/advance(_:)`` with this `Ready`.
///
/// Many nodes' steps 1 can share one write batch and one sync (group commit), as long as
/// each node's messages wait for it.
///
/// A leader's appends and heartbeats (``Eraftpb_Message/maySendBeforePersist``) may leave
/// before step 1, so the followers write while the leader does (the Raft thesis, 10.2.1). That
/// is safe only if the node steps no message before step 1 is done: the leader counts its own
/// entries as replicated when it appends them, so an answer stepped earlier could commit an
/// entry that only the followers hold.
public struct Ready: Sendable {
  /// The leader and role, if they changed since the last `Ready`.
  public var softState: SoftState?
  /// Term, vote and commit index to persist, if they changed since the last `Ready`.
  public var hardState: Eraftpb_HardState?
  /// New log entries to persist before sending ``messages``.
  public var entries: [Eraftpb_Entry] = []
  /// A snapshot received from the leader, to install in storage before ``entries``.
  public var snapshot: Eraftpb_Snapshot?
  /// Entries that are committed and may be applied (they are persisted already, or are in
  /// ``entries`` of this same `Ready`).
  public var committedEntries: [Eraftpb_Entry] = []
  /// Messages to send once step 1 is done.
  public var messages: [Eraftpb_Message] = []
  /// Confirmed linearizable reads (see ``RawNode/readIndex(_:)``).
  public var readStates: [ReadState] = []
  /// Whether the write of step 1 must be synced to disk: new entries, a snapshot, or a
  /// new term or vote. A commit-index-only change need not be.
  public var mustSync: Bool = false

  public init() {}
}

extension Eraftpb_Message {
  /// Whether this message may be sent before its `Ready` is persisted (see ``Ready``): a
  /// leader's appends and heartbeats, which acknowledge nothing of the sender's own state.
  public var maySendBeforePersist: Bool {
    msgType == .msgAppend || msgType == .msgHeartbeat
  }
}
