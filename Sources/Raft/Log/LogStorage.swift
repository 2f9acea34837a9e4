import TinyKVProto

/// The state a node restores at start: what was persisted last.
public struct RaftInitialState: Sendable, Equatable {
  /// The persisted term, vote and commit index.
  public var hardState: Eraftpb_HardState
  /// The persisted membership (from the last snapshot or applied conf changes).
  public var confState: Eraftpb_ConfState

  /// Creates an initial state.
  public init(hardState: Eraftpb_HardState, confState: Eraftpb_ConfState) {
    self.hardState = hardState
    self.confState = confState
  }
}

/// Read-only access to a node's stable log, as Raft needs it.
///
/// Raft never writes to storage: the application persists what ``Ready`` hands it
/// (entries, hard state, snapshot) and then calls ``RawNode/advance(_:)``. Storage must
/// therefore already contain every entry Raft has been told is stable.
///
/// Indexes: the storage holds entries `firstIndex...lastIndex`; the entry just before
/// (`firstIndex - 1`, the last one compacted into the snapshot) still has a known term.
///
/// Failures: `compacted` and `unavailable` are part of the protocol. Any other error from
/// `term` or `entries` is treated as data Raft cannot trust: where a wrong answer could
/// break safety or stall the node (the term of the last entry, which decides votes;
/// committed entries to apply) Raft stops the process with a `preconditionFailure` rather
/// than guess; elsewhere it retries later (an append is not sent, a consistency check
/// fails). First and last index cannot fail: every implementation keeps them in memory.
public protocol LogStorage {
  /// The persisted hard state and membership.
  func initialState() throws(RaftError) -> RaftInitialState

  /// Entries in `lo..<hi`, trimmed so their total size stays within `maxSize` bytes,
  /// but always at least one entry when the range is not empty.
  /// - Throws: ``RaftError/compacted`` if `lo < firstIndex`;
  ///   ``RaftError/unavailable`` if `hi > lastIndex + 1`.
  func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(RaftError) -> [Eraftpb_Entry]

  /// The term of the entry at `index`, for `firstIndex - 1 ... lastIndex`.
  /// - Throws: ``RaftError/compacted`` below that range, ``RaftError/unavailable`` above.
  func term(_ index: UInt64) throws(RaftError) -> UInt64

  /// The index of the first entry still available (older ones are in the snapshot).
  func firstIndex() -> UInt64

  /// The index of the last entry in storage.
  func lastIndex() -> UInt64

  /// The most recent snapshot, to send to a follower that is too far behind.
  /// - Throws: ``RaftError/snapshotTemporarilyUnavailable`` if it is being built; Raft
  ///   retries later.
  func snapshot() throws(RaftError) -> Eraftpb_Snapshot
}

/// Limits `entries` to `maxSize` bytes, keeping at least one entry.
func limitSize(_ entries: inout [Eraftpb_Entry], _ maxSize: UInt64) {
  guard entries.count > 1, maxSize != .max else { return }
  var size = entries[0].approximateSize
  var limit = 1
  while limit < entries.count {
    size += entries[limit].approximateSize
    if size > maxSize { break }
    limit += 1
  }
  if limit < entries.count { entries.removeSubrange(limit...) }
}
