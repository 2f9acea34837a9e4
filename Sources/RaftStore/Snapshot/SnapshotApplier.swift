import Engine
import Foundation
import TinyKVProto

/// Puts a received snapshot's data in place of a region's, on the apply loop or, after a crash
/// in the middle, at restart.
///
/// The raft loop starts an apply by writing (synced) the snapshot under
/// `Keys.snapshotApplyingKey` in the kv engine, *before* its raft-engine batch drops the old
/// log. While that marker exists, the region's data may be half replaced: ``recover`` redoes
/// both halves at restart (the raft-engine half only if it was not written), and ``load``
/// removes the marker in the same synced batch as the new apply and region states.
package enum SnapshotApplier {
  /// Clears the region's range in default, lock and write, loads the snapshot's files in
  /// batches of at most `config.snapshotApplyBatchBytes`, then writes the apply state
  /// (applied = truncated = the snapshot's index, with the snapshot's session table), the region
  /// state and the marker's removal
  /// in one synced batch, and removes the region's received files up to this snapshot.
  /// - Returns: the region's new apply state.
  /// - Throws: `EngineError`, `SnapshotError`, or what `config.snapshotApplyHook` throws.
  package static func load(
    _ snapshot: Eraftpb_Snapshot, regionID: UInt64, kvDB: Database, manager: SnapshotManager,
    config: RaftStoreConfig
  ) throws -> RaftServerpb_RaftApplyState {
    let data = try RaftServerpb_RaftSnapshotData(serializedBytes: snapshot.data)
    let region = data.region
    guard region.id == regionID else {
      throw SnapshotError("a snapshot of region \(region.id) sent to region \(regionID)")
    }
    let key = SnapshotKey(
      regionID: regionID, term: snapshot.metadata.term, index: snapshot.metadata.index)
    var batch = try kvDB.makeWriteBatch()
    try RegionData.clear(region, kvDB: kvDB, in: batch)
    var written = 0
    for file in data.meta.cfFiles {
      let cf = ColumnFamily(file.cf)
      guard ColumnFamily.data.contains(cf) else {
        throw SnapshotError("unknown column family \(file.cf) in snapshot \(key)")
      }
      let reader = try SnapshotCFFile.Reader(path: manager.path(.received, key, file.cf))
      while let (key, value) = try reader.next() {
        try batch.put(cf, key, value)
        if batch.byteCount >= config.snapshotApplyBatchBytes {
          try kvDB.write(batch, sync: false)
          written += 1
          try config.snapshotApplyHook?(written)
          batch = try kvDB.makeWriteBatch()
        }
      }
    }
    let applyState = try PeerStorage.putStartState(
      of: region, index: key.index, term: key.term, sessions: data.sessions, to: batch)
    try batch.delete(.meta, Keys.snapshotApplyingKey(regionID))
    try kvDB.write(batch, sync: true)
    manager.remove(.received, regionID: regionID, below: key.index + 1)
    return applyState
  }

  /// Finishes an apply a crash interrupted (a marker is present): the raft engine is set to the
  /// snapshot's log (empty, last index and term the snapshot's) unless the raft loop's batch
  /// already did so, then the data is loaded again. Also removes the region's leftover
  /// snapshot files (a restart sends and applies nothing in flight).
  /// - Throws: `EngineError`, `SnapshotError` (the files are gone), `RaftStoreError.corruption`.
  package static func recover(
    regionID: UInt64, raftDB: Database, kvDB: Database, manager: SnapshotManager,
    config: RaftStoreConfig
  ) throws {
    if let bytes = try kvDB.get(.meta, Keys.snapshotApplyingKey(regionID)) {
      try redo(
        try Eraftpb_Snapshot(serializedBytes: bytes), regionID, raftDB, kvDB, manager, config)
    }
    manager.remove(.received, regionID: regionID, below: .max)
    manager.remove(.generated, regionID: regionID, below: .max)
  }

  private static func redo(
    _ snapshot: Eraftpb_Snapshot, _ regionID: UInt64, _ raftDB: Database, _ kvDB: Database,
    _ manager: SnapshotManager, _ config: RaftStoreConfig
  ) throws {
    let index = snapshot.metadata.index
    // A peer created from a message may have had no raft state yet when its snapshot came.
    var raftState = RaftServerpb_RaftLocalState()
    if let raftBytes = try raftDB.get(.default, Keys.raftStateKey(regionID)) {
      raftState = try RaftServerpb_RaftLocalState(serializedBytes: raftBytes)
    }
    // The raft loop's batch deletes every entry and sets the last index to the snapshot's; an
    // old log reaching the snapshot's index still holds that entry.
    let entryAtIndex = try raftDB.get(.default, Keys.raftLogKey(regionID, index))
    let raftHalfDone = raftState.lastIndex >= index && entryAtIndex == nil
    if !raftHalfDone {
      let batch = try raftDB.makeWriteBatch()
      try batch.deleteRange(
        .default, from: Keys.raftLogKey(regionID, 0),
        to: Keys.raftLogKey(regionID, max(raftState.lastIndex, index) + 1))
      raftState.lastIndex = index
      raftState.lastTerm = snapshot.metadata.term
      raftState.hardState.commit = max(raftState.hardState.commit, index)
      raftState.hardState.term = max(raftState.hardState.term, snapshot.metadata.term)
      try batch.put(.default, Keys.raftStateKey(regionID), raftState.serializedData())
      try raftDB.write(batch, sync: true)
    }
    _ = try load(snapshot, regionID: regionID, kvDB: kvDB, manager: manager, config: config)
  }
}
