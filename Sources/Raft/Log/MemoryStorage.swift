import Foundation
import TinyKVProto

/// An in-memory ``LogStorage``, for tests, simulations and benchmarks.
///
/// The application writes to it (``append(_:)``, ``setHardState(_:)``,
/// ``applySnapshot(_:)``) while Raft reads it. It is a class because both sides share it;
/// it is not thread-safe: use it from one thread (or wrap it).
public final class MemoryStorage: LogStorage {
  /// The hard state last set.
  public private(set) var hardState = Eraftpb_HardState()
  /// The latest snapshot (its metadata's conf state is the membership at that point).
  public private(set) var snapshotValue = Eraftpb_Snapshot()
  /// `entries[0]` is a dummy holding the index and term of the last compacted entry;
  /// real entries follow, contiguous. Invariant: never empty.
  private var ents: [Eraftpb_Entry]
  /// The membership to report when no snapshot has set one.
  private var confState = Eraftpb_ConfState()

  /// Creates an empty storage; `peers`, if given, is the initial membership.
  public init(peers: [UInt64] = []) {
    ents = [Eraftpb_Entry(term: 0, index: 0)]
    confState.nodes = peers
  }

  public func initialState() throws(RaftError) -> RaftInitialState {
    RaftInitialState(hardState: hardState, confState: confState)
  }

  /// Records the hard state (the caller does so after each ``Ready`` that has one).
  public func setHardState(_ state: Eraftpb_HardState) { hardState = state }

  /// Replaces the membership reported by ``initialState()``.
  public func setConfState(_ state: Eraftpb_ConfState) { confState = state }

  private var offset: UInt64 { ents[0].index }

  public func entries(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(RaftError)
    -> [Eraftpb_Entry]
  {
    let offset = self.offset
    if lo <= offset { throw .compacted }
    if hi > lastIndexValue + 1 { throw .unavailable }
    if ents.count == 1 || lo >= hi { return [] }
    var result = Array(ents[Int(lo - offset)..<Int(hi - offset)])
    limitSize(&result, maxSize)
    return result
  }

  public func term(_ index: UInt64) throws(RaftError) -> UInt64 {
    let offset = self.offset
    if index < offset { throw .compacted }
    if Int(index - offset) >= ents.count { throw .unavailable }
    return ents[Int(index - offset)].term
  }

  private var lastIndexValue: UInt64 { ents[0].index + UInt64(ents.count) - 1 }

  public func firstIndex() -> UInt64 { offset + 1 }

  public func lastIndex() -> UInt64 { lastIndexValue }

  public func snapshot() throws(RaftError) -> Eraftpb_Snapshot { snapshotValue }

  /// Replaces the storage's contents with `snapshot` (the caller does so when a
  /// ``Ready`` carries one).
  /// - Throws: ``RaftError/snapshotOutOfDate`` if it is older than the current snapshot.
  public func applySnapshot(_ snapshot: Eraftpb_Snapshot) throws(RaftError) {
    if snapshotValue.metadata.index >= snapshot.metadata.index { throw .snapshotOutOfDate }
    snapshotValue = snapshot
    ents = [Eraftpb_Entry(term: snapshot.metadata.term, index: snapshot.metadata.index)]
    confState = snapshot.metadata.confState
  }

  /// Makes a snapshot at `index` (already applied by the caller) carrying `data` and,
  /// if given, the membership at that point.
  /// - Throws: ``RaftError/snapshotOutOfDate`` if `index` is at or below the current
  ///   snapshot; ``RaftError/unavailable`` if `index` is beyond the last entry.
  @discardableResult
  public func createSnapshot(
    index: UInt64, confState: Eraftpb_ConfState? = nil, data: Data = Data()
  ) throws(RaftError) -> Eraftpb_Snapshot {
    if index <= snapshotValue.metadata.index { throw .snapshotOutOfDate }
    if index > lastIndexValue { throw .unavailable }
    var snap = Eraftpb_Snapshot()
    snap.metadata.index = index
    snap.metadata.term = ents[Int(index - offset)].term
    snap.metadata.confState = confState ?? self.confState
    snap.data = data
    snapshotValue = snap
    return snap
  }

  /// Discards entries up to and including `compactIndex`, which must be applied.
  /// - Throws: ``RaftError/compacted`` if already compacted, ``RaftError/unavailable`` if
  ///   beyond the last entry.
  public func compact(_ compactIndex: UInt64) throws(RaftError) {
    let offset = self.offset
    if compactIndex <= offset { throw .compacted }
    if compactIndex > lastIndexValue { throw .unavailable }
    let i = Int(compactIndex - offset)
    var dummy = Eraftpb_Entry(term: ents[i].term, index: ents[i].index)
    dummy.data = Data()
    ents.replaceSubrange(0...i, with: [dummy])
  }

  /// Appends entries (the caller does so with each ``Ready/entries``), replacing any
  /// stored entries from the first new index on.
  public func append(_ entries: [Eraftpb_Entry]) throws(RaftError) {
    guard let firstNew = entries.first?.index else { return }
    let first = offset + 1
    let last = firstNew + UInt64(entries.count) - 1
    if last < first { return }  // everything already compacted
    var toAppend = entries[...]
    if first > firstNew { toAppend = entries[Int(first - firstNew)...] }
    let start = toAppend.first!.index
    if start - offset > UInt64(ents.count) {
      throw RaftError(
        code: .unavailable,
        message: "missing log entry [last: \(lastIndexValue), append at: \(start)]")
    }
    ents.removeSubrange(Int(start - offset)...)
    ents.append(contentsOf: toAppend)
  }
}
