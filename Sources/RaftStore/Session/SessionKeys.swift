import Engine
import TinyKVProto

/// Where a region's client sessions are kept: one key per session (`Keys.sessionKey`, the kv
/// engine's meta column family), written in the apply batch only when that session changed.
/// An apply batch then costs what its own writes' sessions changed, not the whole table (kept
/// in the `RaftApplyState`, every batch re-encoded every session of the region: with many
/// clients the apply loop slowed down as sessions piled up). The apply state keeps the table's
/// clock; the apply loop keeps the whole table in memory.
enum SessionKeys {
  /// The sessions of `regionID` stored in an engine (read through `iterator`, a database's or
  /// a snapshot's), in id order.
  static func load(
    _ regionID: UInt64, iterator: (ColumnFamily, KeyBounds) throws -> DBIterator
  ) throws -> [RaftServerpb_ClientSession] {
    let range = Keys.sessionRange(regionID)
    let sessions = try iterator(.meta, KeyBounds(lower: range.lower, upper: range.upper))
    var loaded: [RaftServerpb_ClientSession] = []
    sessions.seekToFirst()
    while sessions.isValid {
      loaded.append(try RaftServerpb_ClientSession(serializedBytes: sessions.value))
      sessions.next()
    }
    try sessions.checkStatus()
    return loaded
  }

  /// Adds to `batch` what changed in `regionID`'s sessions from `old` to `new` (both in id
  /// order): the changed and new sessions written, the gone ones deleted.
  static func persist(
    _ regionID: UInt64, from old: [RaftServerpb_ClientSession],
    to new: [RaftServerpb_ClientSession], in batch: WriteBatch
  ) throws {
    var (i, j) = (0, 0)
    while i < old.count || j < new.count {
      if j == new.count || (i < old.count && old[i].id < new[j].id) {
        try batch.delete(.meta, Keys.sessionKey(regionID, old[i].id))
        i += 1
      } else if i == old.count || new[j].id < old[i].id {
        try batch.put(.meta, Keys.sessionKey(regionID, new[j].id), new[j].serializedData())
        j += 1
      } else {
        if old[i] != new[j] {
          try batch.put(.meta, Keys.sessionKey(regionID, new[j].id), new[j].serializedData())
        }
        i += 1
        j += 1
      }
    }
  }

  /// Adds to `batch` `regionID`'s sessions replaced by `sessions` (a region's start state: a
  /// split's new region, a snapshot put in place).
  static func replace(
    _ regionID: UInt64, with sessions: [RaftServerpb_ClientSession], in batch: WriteBatch
  ) throws {
    try remove(regionID, in: batch)
    for session in sessions {
      try batch.put(.meta, Keys.sessionKey(regionID, session.id), session.serializedData())
    }
  }

  /// Adds to `batch` the deletion of every session of `regionID` (its peer here is gone).
  static func remove(_ regionID: UInt64, in batch: WriteBatch) throws {
    let range = Keys.sessionRange(regionID)
    try batch.deleteRange(.meta, from: range.lower, to: range.upper)
  }
}

extension RaftServerpb_RaftApplyState {
  /// The apply state as the kv engine keeps it: of the session table only its clock (the
  /// sessions have keys of their own, ``SessionKeys``).
  var stored: RaftServerpb_RaftApplyState {
    guard hasSessions else { return self }
    var stored = self
    stored.sessions.sessions = []
    return stored
  }
}
