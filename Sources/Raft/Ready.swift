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
  /// Whether the write of step 1 must be synced to disk: new entries, or a new term or
  /// vote. A commit-index-only change need not be.
  public var mustSync: Bool = false

  public init() {}
}
