import TinyKVProto

/// Entries (and possibly a snapshot) that Raft has accepted but the application has not
/// yet persisted. Handed out through ``Ready`` and dropped once ``RawNode/advance(_:)``
/// says they are stable.
struct UnstableLog: Sendable {
  /// An incoming snapshot not yet persisted.
  var snapshot: Eraftpb_Snapshot?
  /// Unstable entries; `entries[i].index == offset + i`.
  var entries: [Eraftpb_Entry] = []
  /// The index of `entries[0]` (or where it would be). Invariant: `offset` is one past
  /// the last stable index, and one past the snapshot's index when there is a snapshot.
  var offset: UInt64

  init(offset: UInt64) { self.offset = offset }

  /// The first index, if the unstable part knows it (only with a snapshot).
  var maybeFirstIndex: UInt64? {
    snapshot.map { $0.metadata.index + 1 }
  }

  /// The last index, if the unstable part holds it.
  var maybeLastIndex: UInt64? {
    if !entries.isEmpty { return offset + UInt64(entries.count) - 1 }
    return snapshot?.metadata.index
  }

  /// The term at `index`, if the unstable part holds it.
  func maybeTerm(_ index: UInt64) -> UInt64? {
    if index < offset {
      if let snap = snapshot, snap.metadata.index == index { return snap.metadata.term }
      return nil
    }
    guard let last = maybeLastIndex, index <= last else { return nil }
    return entries[Int(index - offset)].term
  }

  /// Entries up to `index` (with `term`) have been persisted: drop them.
  mutating func stableTo(index: UInt64, term: UInt64) {
    guard let t = maybeTerm(index), t == term, index >= offset else { return }
    entries.removeSubrange(0..<Int(index + 1 - offset))
    offset = index + 1
  }

  /// The snapshot at `index` has been persisted.
  mutating func stableSnapTo(_ index: UInt64) {
    if let snap = snapshot, snap.metadata.index == index { snapshot = nil }
  }

  /// Replaces everything with `snapshot`.
  mutating func restore(_ snapshot: Eraftpb_Snapshot) {
    offset = snapshot.metadata.index + 1
    entries.removeAll()
    self.snapshot = snapshot
  }

  /// Appends `newEntries`, first truncating any unstable entries they conflict with.
  mutating func truncateAndAppend(_ newEntries: [Eraftpb_Entry]) {
    guard let after = newEntries.first?.index else { return }
    if after == offset + UInt64(entries.count) {
      entries.append(contentsOf: newEntries)
    } else if after <= offset {
      // Replace everything unstable; the caller truncates stable entries by moving offset.
      offset = after
      entries = newEntries
    } else {
      entries.removeSubrange(Int(after - offset)...)
      entries.append(contentsOf: newEntries)
    }
  }

  /// Entries in `lo..<hi`, which must lie within the unstable part.
  func slice(_ lo: UInt64, _ hi: UInt64) -> ArraySlice<Eraftpb_Entry> {
    entries[Int(lo - offset)..<Int(hi - offset)]
  }
}
