import TinyKVProto

/// A node's view of the log: the stable part in ``LogStorage`` followed by the
/// ``UnstableLog``, with the commit and apply cursors.
///
/// Invariants: `firstIndex - 1 <= applied <= committed <= lastIndex`; everything below
/// `unstable.offset` is in storage.
struct RaftLog<Storage: LogStorage> {
  let storage: Storage
  var unstable: UnstableLog
  /// The highest index known to be committed (stored on a quorum).
  var committed: UInt64
  /// The highest index the application has applied (reported through `advance`).
  var applied: UInt64
  /// Byte limit on committed entries handed out in one ``Ready``.
  var maxNextEntriesSize: UInt64

  init(storage: Storage, maxNextEntriesSize: UInt64 = .max) throws(RaftError) {
    self.storage = storage
    let first = storage.firstIndex()
    let last = storage.lastIndex()
    unstable = UnstableLog(offset: last + 1)
    committed = first - 1
    applied = first - 1
    self.maxNextEntriesSize = maxNextEntriesSize
  }

  var firstIndex: UInt64 {
    if let i = unstable.maybeFirstIndex { return i }
    return storage.firstIndex()
  }

  var lastIndex: UInt64 {
    if let i = unstable.maybeLastIndex { return i }
    return storage.lastIndex()
  }

  /// The term of the last entry. It decides votes, so a storage failure here is fatal.
  var lastTerm: UInt64 {
    do {
      return try term(lastIndex)
    } catch {
      preconditionFailure("storage failed reading the term of the last entry: \(error)")
    }
  }

  /// The term at `index`; 0 for indexes past the end.
  /// - Throws: ``RaftError/compacted`` below the first index's predecessor.
  func term(_ index: UInt64) throws(RaftError) -> UInt64 {
    if let t = unstable.maybeTerm(index) { return t }
    let dummy = firstIndex - 1
    if index < dummy { throw .compacted }
    if index > lastIndex { return 0 }
    do {
      return try storage.term(index)
    } catch {
      if error.code == .unavailable { return 0 }
      throw error
    }
  }

  func matchTerm(_ index: UInt64, _ term: UInt64) -> Bool {
    guard let t = try? self.term(index) else { return false }
    return t == term
  }

  /// Whether a log ending at (`lastIndex`, `term`) is at least as up to date as ours.
  func isUpToDate(lastIndex: UInt64, term: UInt64) -> Bool {
    let ourTerm = lastTerm
    return term > ourTerm || (term == ourTerm && lastIndex >= self.lastIndex)
  }

  /// Appends `entries` if the entry at `index` has `logTerm` (the consistency check),
  /// truncating conflicting entries; advances commit to `min(committed, last new)`.
  /// - Returns: the last index of the new entries, or nil if the check failed.
  mutating func maybeAppend(
    index: UInt64, logTerm: UInt64, committed: UInt64, entries: [Eraftpb_Entry]
  ) -> UInt64? {
    guard matchTerm(index, logTerm) else { return nil }
    let lastNew = index + UInt64(entries.count)
    let conflict = findConflict(entries)
    if conflict != 0 {
      precondition(conflict > self.committed, "entry \(conflict) conflicts with committed entry")
      let start = Int(conflict - (index + 1))
      if start == 0 {
        append(entries)
      } else {
        append(Array(entries[start...]))
      }
    }
    commit(to: min(committed, lastNew))
    return lastNew
  }

  /// Appends entries (their indexes must follow on from an index >= committed).
  @discardableResult
  mutating func append(_ entries: [Eraftpb_Entry]) -> UInt64 {
    guard let first = entries.first else { return lastIndex }
    precondition(
      first.index > committed, "appending at \(first.index) is below commit \(committed)")
    unstable.truncateAndAppend(entries)
    return lastIndex
  }

  /// The first index of `entries` whose term differs from ours (or that is new); 0 if all
  /// match.
  func findConflict(_ entries: [Eraftpb_Entry]) -> UInt64 {
    for e in entries where !matchTerm(e.index, e.term) { return e.index }
    return 0
  }

  /// The largest index at or below `index` whose term is at most `term`, with that term.
  /// Used for fast log backtracking. Returns `(index, 0)` when the term is unknown.
  func findConflictByTerm(index: UInt64, term: UInt64) -> (index: UInt64, term: UInt64) {
    var i = index
    while true {
      guard let t = try? self.term(i) else { return (i, 0) }
      if t <= term || i == 0 { return (i, t) }
      i -= 1
    }
  }

  /// Entries from `lo` to the end, at most `maxSize` bytes (at least one).
  func entries(from lo: UInt64, maxSize: UInt64) throws(RaftError) -> [Eraftpb_Entry] {
    if lo > lastIndex { return [] }
    return try slice(lo, lastIndex + 1, maxSize: maxSize)
  }

  /// Entries in `lo..<hi`, at most `maxSize` bytes (at least one).
  func slice(_ lo: UInt64, _ hi: UInt64, maxSize: UInt64) throws(RaftError) -> [Eraftpb_Entry] {
    if lo >= hi { return [] }
    if lo < firstIndex { throw .compacted }
    if hi > lastIndex + 1 { throw .unavailable }
    var result: [Eraftpb_Entry] = []
    if lo < unstable.offset {
      result = try storage.entries(lo, min(hi, unstable.offset), maxSize: maxSize)
      // Storage returned fewer entries than asked because of the size limit.
      if UInt64(result.count) < min(hi, unstable.offset) - lo { return result }
    }
    if hi > unstable.offset {
      let part = unstable.slice(max(lo, unstable.offset), hi)
      if result.isEmpty {
        result = Array(part)
      } else {
        result.append(contentsOf: part)
      }
    }
    limitSize(&result, maxSize)
    return result
  }

  /// All entries (for tests and debugging).
  func allEntries() -> [Eraftpb_Entry] {
    (try? entries(from: firstIndex, maxSize: .max)) ?? []
  }

  var unstableEntries: [Eraftpb_Entry] { unstable.entries }

  /// Whether committed entries are waiting to be applied.
  var hasNextEntries: Bool {
    committed > max(applied, firstIndex - 1)
  }

  /// Committed entries not yet applied (bounded by `maxNextEntriesSize`).
  func nextEntries() -> [Eraftpb_Entry] {
    let lo = max(applied + 1, firstIndex)
    guard committed + 1 > lo else { return [] }
    do {
      return try slice(lo, committed + 1, maxSize: maxNextEntriesSize)
    } catch {
      // Committed entries at or after the first index must be readable.
      preconditionFailure(
        "storage failed reading committed entries [\(lo), \(committed)]: \(error)")
    }
  }

  /// The snapshot to send to a lagging follower.
  func snapshot() throws(RaftError) -> Eraftpb_Snapshot {
    if let snap = unstable.snapshot { return snap }
    return try storage.snapshot()
  }

  mutating func commit(to index: UInt64) {
    guard index > committed else { return }
    precondition(index <= lastIndex, "commit \(index) out of range [last: \(lastIndex)]")
    committed = index
  }

  /// Commits `maxIndex` if it is newer and belongs to `term` (a leader commits entries of
  /// its own term only; older ones commit with them).
  mutating func maybeCommit(_ maxIndex: UInt64, term: UInt64) -> Bool {
    if maxIndex > committed, (try? self.term(maxIndex)) == term {
      commit(to: maxIndex)
      return true
    }
    return false
  }

  mutating func applied(to index: UInt64) {
    guard index != 0 else { return }
    precondition(
      index <= committed && index >= applied,
      "applied \(index) out of range [applied \(applied), committed \(committed)]")
    applied = index
  }

  mutating func stable(to index: UInt64, term: UInt64) {
    unstable.stableTo(index: index, term: term)
  }

  mutating func stableSnapshot(to index: UInt64) { unstable.stableSnapTo(index) }

  /// Replaces the log with `snapshot`.
  mutating func restore(_ snapshot: Eraftpb_Snapshot) {
    committed = snapshot.metadata.index
    unstable.restore(snapshot)
  }
}
extension RaftLog: Sendable where Storage: Sendable {}
