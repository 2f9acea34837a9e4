import Engine
import Foundation
import Raft
import SwiftProtobuf
import TinyKVProto

/// One region's Raft log and metadata on one store: the Raft library's `LogStorage` over the
/// raft engine, plus the writes the raft loop makes for each `Ready`.
///
/// Layout (see ``Keys``): entries and `RaftLocalState` in the raft engine; `RaftApplyState` and
/// `RegionLocalState` in the kv engine's `meta` column family.
///
/// Confined to the raft loop's thread (not `Sendable`). The write methods (``append(_:to:)``,
/// ``setHardState(_:)``, ``persistRaftState(to:)``) update the in-memory state as they add to a
/// batch; the raft loop writes that batch before it calls into Raft again, so Raft never reads
/// an entry that is in memory but not yet in the engine.
package final class PeerStorage: Raft.LogStorage {
  /// The region this storage belongs to.
  package let regionID: UInt64
  /// The region's metadata (range, epoch, peers) as last persisted.
  package private(set) var region: Metapb_Region
  /// Hard state and the last entry's index and term.
  /// Invariant: `truncatedState.index <= raftState.lastIndex`.
  package private(set) var raftState: RaftServerpb_RaftLocalState
  /// The apply state recovered at start; afterwards only its truncated state is kept current
  /// (moved by applied `CompactLog`s and snapshots), the apply loop owns the applied index.
  package private(set) var applyState: RaftServerpb_RaftApplyState
  /// Bytes of entries appended since the last compaction or start, to decide when to compact.
  package private(set) var approximateLogSize: UInt64 = 0

  /// Where a snapshot for a lagging follower stands.
  package enum SnapshotGeneration {
    /// None asked for, or the last one failed.
    case idle
    /// The snapshot worker is building one.
    case generating
    /// Built at the region's `epoch`; handed to Raft while it still covers the truncated log
    /// and the region is still at that epoch (a snapshot of an older membership is refused by
    /// a peer it does not list, and one of an older range carries the wrong region).
    case generated(Eraftpb_Snapshot, epoch: Metapb_RegionEpoch)
  }
  /// Where a snapshot for a lagging follower stands.
  package var generation = SnapshotGeneration.idle
  /// Asks the snapshot worker for a snapshot (set by the peer); the result comes back as
  /// ``generation``.
  package var requestSnapshot: () -> Void = {}

  package let raftDB: Database
  package let kvDB: Database
  /// The newest entries, so most reads of the log skip the raft engine.
  private var cache: EntryCache

  /// Loads region `regionID`'s state, written earlier by ``bootstrap(region:raftDB:kvDB:)`` and
  /// the raft and apply loops.
  /// - Throws: `RaftStoreError` `.notBootstrapped` when the region is not on this store,
  ///   `.corruption` when its metadata cannot be decoded; `EngineError` on I/O failure.
  package init(
    regionID: UInt64, raftDB: Database, kvDB: Database, entryCacheBytes: Int = 1 << 20
  ) throws {
    cache = EntryCache(maxBytes: entryCacheBytes)
    self.regionID = regionID
    self.raftDB = raftDB
    self.kvDB = kvDB
    guard let regionBytes = try kvDB.get(.meta, Keys.regionStateKey(regionID)) else {
      throw RaftStoreError(code: .notBootstrapped, message: "region \(regionID) has no state")
    }
    let regionState: RaftServerpb_RegionLocalState = try Self.decode(regionBytes, "region state")
    region = regionState.region
    guard let applyBytes = try kvDB.get(.meta, Keys.applyStateKey(regionID)) else {
      throw RaftStoreError(code: .corruption, message: "region \(regionID) lacks its apply state")
    }
    applyState = try Self.decode(applyBytes, "apply state")
    if let raftBytes = try raftDB.get(.default, Keys.raftStateKey(regionID)) {
      raftState = try Self.decode(raftBytes, "raft state")
    } else {
      raftState = RaftServerpb_RaftLocalState()
    }
    // A region a split created here starts, like a bootstrapped one, with its log at the
    // initial index; its raft state is written by its first `Ready` (an uninitialized peer of
    // it may have left a term and vote, which are kept).
    let initial = Keys.initialLogIndex
    if raftState.lastIndex < initial, applyState.appliedIndex == initial,
      applyState.truncatedState.index == initial
    {
      raftState.lastIndex = initial
      raftState.lastTerm = Keys.initialLogTerm
      if raftState.hardState.term < Keys.initialLogTerm {
        raftState.hardState.term = Keys.initialLogTerm
        raftState.hardState.vote = 0
      }
    }
    // The apply state may be newer than an unsynced commit index in the raft state (they live
    // in two engines). Everything applied was committed, so the commit index is at least that.
    if raftState.hardState.commit < applyState.appliedIndex {
      raftState.hardState.commit = applyState.appliedIndex
    }
    guard applyState.truncatedState.index <= raftState.lastIndex,
      applyState.appliedIndex <= raftState.lastIndex
    else {
      throw RaftStoreError(
        code: .corruption,
        message: "region \(regionID): truncated \(applyState.truncatedState.index) or applied "
          + "\(applyState.appliedIndex) past the last index \(raftState.lastIndex)")
    }
  }

  /// The storage of a peer created for a region this store has no state of, from a leader's
  /// message (see `RaftPoller.createPeer`): no range, no peers, an empty log. The term and
  /// vote an earlier incarnation persisted are kept, so a vote is never cast twice in a term.
  /// The leader's snapshot initialises it (``applySnapshot(_:to:)``); until then nothing of it
  /// is in the kv engine, and a restart forgets it (the leader's next message creates it again).
  /// - Throws: `RaftStoreError.corruption` if a stored raft state cannot be decoded;
  ///   `EngineError` on I/O failure.
  package init(
    uninitialized regionID: UInt64, raftDB: Database, kvDB: Database,
    entryCacheBytes: Int = 1 << 20
  ) throws {
    cache = EntryCache(maxBytes: entryCacheBytes)
    self.regionID = regionID
    self.raftDB = raftDB
    self.kvDB = kvDB
    region = Metapb_Region()
    region.id = regionID
    raftState = RaftServerpb_RaftLocalState()
    if let raftBytes = try raftDB.get(.default, Keys.raftStateKey(regionID)) {
      let stored: RaftServerpb_RaftLocalState = try Self.decode(raftBytes, "raft state")
      raftState.hardState.term = stored.hardState.term
      raftState.hardState.vote = stored.hardState.vote
    }
    applyState = RaftServerpb_RaftApplyState()
  }

  /// Whether the region's metadata is known (it has peers): false for a peer created from a
  /// message until the leader's snapshot arrives.
  package var isInitialized: Bool { !region.peers.isEmpty }

  /// Writes the initial state of `region` on this store: log term and index 5 (TinyKV's), with
  /// every peer of `region` in the membership, so a peer never needs the log to learn it.
  /// Syncs both engines.
  /// - Throws: `RaftStoreError.alreadyBootstrapped` if the region already has state here;
  ///   `EngineError` on I/O failure.
  package static func bootstrap(region: Metapb_Region, raftDB: Database, kvDB: Database) throws {
    if try kvDB.get(.meta, Keys.regionStateKey(region.id)) != nil {
      throw RaftStoreError(
        code: .alreadyBootstrapped, message: "region \(region.id) is already on this store")
    }
    var raftState = RaftServerpb_RaftLocalState()
    raftState.hardState = Eraftpb_HardState(
      term: Keys.initialLogTerm, vote: 0, commit: Keys.initialLogIndex)
    raftState.lastIndex = Keys.initialLogIndex
    raftState.lastTerm = Keys.initialLogTerm

    let kvBatch = try kvDB.makeWriteBatch()
    try putStartState(
      of: region, index: Keys.initialLogIndex, term: Keys.initialLogTerm, to: kvBatch)
    let raftBatch = try raftDB.makeWriteBatch()
    try raftBatch.put(.default, Keys.raftStateKey(region.id), raftState.serializedData())
    // Raft state first: a crash between the two leaves no region state, so the region is not
    // loaded and bootstrap can run again (it overwrites the raft state).
    try raftDB.write(raftBatch, sync: true)
    try kvDB.write(kvBatch, sync: true)
  }

  /// Adds to a kv-engine `batch` the states of `region` with everything up to `index` (of
  /// `term`) applied and compacted away (a bootstrap, a split's new region, or a snapshot put
  /// in place), with the client sessions it starts with.
  /// - Returns: the apply state written.
  @discardableResult
  package static func putStartState(
    of region: Metapb_Region, index: UInt64, term: UInt64,
    sessions: RaftServerpb_SessionTable = RaftServerpb_SessionTable(), to batch: WriteBatch
  ) throws -> RaftServerpb_RaftApplyState {
    var applyState = RaftServerpb_RaftApplyState()
    if sessions != RaftServerpb_SessionTable() { applyState.sessions = sessions }
    applyState.appliedIndex = index
    applyState.truncatedState.index = index
    applyState.truncatedState.term = term
    var regionState = RaftServerpb_RegionLocalState()
    regionState.state = .normal
    regionState.region = region
    try batch.put(.meta, Keys.applyStateKey(region.id), applyState.stored.serializedData())
    try SessionKeys.replace(region.id, with: applyState.sessions.sessions, in: batch)
    try batch.put(.meta, Keys.regionStateKey(region.id), regionState.serializedData())
    return applyState
  }

  /// The ids of every region with a `RegionLocalState` in `kvDB`, except tombstones (peers
  /// removed from their region, never loaded again).
  package static func regionIDs(in kvDB: Database) throws -> [UInt64] {
    let range = Keys.regionStateRange
    let iterator = try kvDB.iterator(
      .meta, bounds: KeyBounds(lower: range.lower, upper: range.upper))
    var ids: [UInt64] = []
    iterator.seekToFirst()
    while iterator.isValid {
      if let id = Keys.parseRegionStateKey(iterator.key) {
        let state: RaftServerpb_RegionLocalState = try decode(iterator.value, "region state")
        if state.state != .tombstone { ids.append(id) }
      }
      iterator.next()
    }
    try iterator.checkStatus()
    return ids
  }

  /// The ids of every region a snapshot was being put in place for (its marker is in `kvDB`):
  /// a restart finishes those first, also for a peer that had no state before its snapshot.
  package static func applyingSnapshotRegionIDs(in kvDB: Database) throws -> [UInt64] {
    let range = Keys.regionRaftRange
    let iterator = try kvDB.iterator(
      .meta, bounds: KeyBounds(lower: range.lower, upper: range.upper))
    var ids: [UInt64] = []
    iterator.seekToFirst()
    while iterator.isValid {
      if let id = Keys.parseSnapshotApplyingKey(iterator.key) { ids.append(id) }
      iterator.next()
    }
    try iterator.checkStatus()
    return ids
  }

  // MARK: LogStorage

  package func initialState() throws(RaftError) -> RaftInitialState {
    var confState = Eraftpb_ConfState()
    confState.nodes = region.peers.map(\.id)
    return RaftInitialState(hardState: raftState.hardState, confState: confState)
  }

  package func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(RaftError)
    -> [Eraftpb_Entry]
  {
    if lo < firstIndex() { throw .compacted }
    if hi > lastIndex() + 1 { throw .unavailable }
    guard lo < hi else { return [] }
    if let cached = cache.entries(lo, hi, maxSize: maxSize) { return cached }
    var result: [Eraftpb_Entry] = []
    do {
      let iterator = try raftDB.iterator(
        .default,
        bounds: KeyBounds(
          lower: Keys.raftLogKey(regionID, lo), upper: Keys.raftLogKey(regionID, hi)))
      iterator.seekToFirst()
      var size: UInt64 = 0
      var expected = lo
      while iterator.isValid {
        let entry = try Eraftpb_Entry(serializedBytes: iterator.value)
        guard entry.index == expected else { break }
        size += UInt64(EntryCache.size(of: entry))
        if !result.isEmpty && size > maxSize { return result }
        result.append(entry)
        expected += 1
        iterator.next()
      }
      try iterator.checkStatus()
    } catch {
      throw RaftError(code: .storageFailure, message: "region \(regionID): \(error)")
    }
    guard result.count == Int(hi - lo) else {
      throw RaftError(
        code: .storageFailure,
        message: "region \(regionID): entries \(lo)..<\(hi) missing from the raft engine")
    }
    return result
  }

  package func term(_ index: UInt64) throws(RaftError) -> UInt64 {
    let truncated = applyState.truncatedState
    if index == truncated.index { return truncated.term }
    if index < truncated.index { throw .compacted }
    if index > raftState.lastIndex { throw .unavailable }
    if index == raftState.lastIndex { return raftState.lastTerm }
    return try entries(index, index + 1, maxSize: .max)[0].term
  }

  package func firstIndex() -> UInt64 { applyState.truncatedState.index + 1 }

  package func lastIndex() -> UInt64 { raftState.lastIndex }

  /// The last generated snapshot if it still covers the compacted log and the region has not
  /// changed since (membership, range); otherwise asks the
  /// snapshot worker for a fresh one (once) and throws `snapshotTemporarilyUnavailable`, so
  /// Raft asks again later (at the follower's next heartbeat response).
  package func snapshot() throws(RaftError) -> Eraftpb_Snapshot {
    switch generation {
    case .generated(let snapshot, let epoch)
    where snapshot.metadata.index >= applyState.truncatedState.index
      && epoch == region.regionEpoch:
      return snapshot
    case .generating:
      throw .snapshotTemporarilyUnavailable
    case .idle, .generated:
      generation = .generating
      requestSnapshot()
      throw .snapshotTemporarilyUnavailable
    }
  }

  // MARK: Writes (raft loop)

  /// Adds `entries` (consecutive, from `Ready.entries`) to `batch`, deleting any stored
  /// entries after the last new one (a conflicting suffix Raft truncated), and moves the last
  /// index and term. Call ``persistRaftState(to:)`` afterwards.
  package func append(_ entries: [Eraftpb_Entry], to batch: WriteBatch) throws {
    guard let first = entries.first, let last = entries.last else { return }
    precondition(
      first.index > applyState.truncatedState.index && first.index <= raftState.lastIndex + 1,
      "region \(regionID): appending \(first.index) to a log ending at \(raftState.lastIndex)")
    for entry in entries {
      try batch.put(.default, Keys.raftLogKey(regionID, entry.index), entry.serializedData())
      approximateLogSize += UInt64(entry.data.count)
    }
    cache.append(entries)
    if last.index < raftState.lastIndex {
      try batch.deleteRange(
        .default, from: Keys.raftLogKey(regionID, last.index + 1),
        to: Keys.raftLogKey(regionID, raftState.lastIndex + 1))
    }
    raftState.lastIndex = last.index
    raftState.lastTerm = last.term
  }

  /// Records a new hard state; call ``persistRaftState(to:)`` afterwards.
  package func setHardState(_ hardState: Eraftpb_HardState) {
    raftState.hardState = hardState
  }

  /// Adds the `RaftLocalState` to `batch`.
  package func persistRaftState(to batch: WriteBatch) throws {
    try batch.put(.default, Keys.raftStateKey(regionID), raftState.serializedData())
  }

  /// Records the region's new metadata, persisted by the apply loop (a membership change).
  package func setRegion(_ region: Metapb_Region) {
    self.region = region
  }

  /// Moves the start of the log past `truncated` (an applied `CompactLog`, durable in the kv
  /// engine) if that is news and within the log. The caller deletes the entries from the raft
  /// engine (in the background: Raft never reads below the first index again).
  /// - Returns: whether the log start moved.
  package func truncate(to truncated: RaftServerpb_RaftTruncatedState) -> Bool {
    let old = applyState.truncatedState.index
    guard truncated.index > old, truncated.index <= raftState.lastIndex else { return false }
    let kept = raftState.lastIndex - truncated.index
    approximateLogSize = approximateLogSize * kept / max(raftState.lastIndex - old, 1)
    applyState.truncatedState = truncated
    cache.drop(through: truncated.index)
    return true
  }

  /// Starts installing a snapshot Raft accepted: writes it (synced) as the region's
  /// "applying" marker in the kv engine, then adds to `batch` (the raft loop's) the deletion of
  /// the whole old log and the snapshot's index and term as the last. The apply loop loads the
  /// data (``SnapshotApplier``). Call ``persistRaftState(to:)`` afterwards.
  /// - Throws: `EngineError`; `SnapshotError` if the snapshot's data cannot be decoded.
  package func applySnapshot(_ snapshot: Eraftpb_Snapshot, to batch: WriteBatch) throws {
    let data = try RaftServerpb_RaftSnapshotData(serializedBytes: snapshot.data)
    let marker = try kvDB.makeWriteBatch()
    try marker.put(.meta, Keys.snapshotApplyingKey(regionID), snapshot.serializedData())
    // Synced before the raft batch drops the old log: a restart finds the marker and redoes.
    try kvDB.write(marker, sync: true)
    let index = snapshot.metadata.index
    try batch.deleteRange(
      .default, from: Keys.raftLogKey(regionID, 0),
      to: Keys.raftLogKey(regionID, max(raftState.lastIndex, index) + 1))
    raftState.lastIndex = index
    raftState.lastTerm = snapshot.metadata.term
    applyState.truncatedState.index = index
    applyState.truncatedState.term = snapshot.metadata.term
    approximateLogSize = 0
    cache.clear()
    region = data.region
    generation = .idle
  }

  private static func decode<M: SwiftProtobuf.Message>(_ bytes: Data, _ what: String) throws -> M {
    do {
      return try M(serializedBytes: bytes)
    } catch {
      throw RaftStoreError(code: .corruption, message: "cannot decode the \(what): \(error)")
    }
  }
}
