import Engine
import Foundation
import TinyKVProto

/// Builds a region's snapshot from one kv-engine snapshot, so that the applied index and term
/// in its metadata and the data in its files describe the same moment. Runs on the snapshot
/// worker, never on the raft loop.
package enum SnapshotGenerator {
  /// Writes region `regionID`'s data (default, lock, write) into `manager`'s directory, one
  /// file per column family, streaming key by key, and removes its older generated snapshots.
  /// - Returns: the snapshot: metadata (applied index and its term, the region's peers) and
  ///   `data`, a serialized `RaftSnapshotData` with the region, its session table and the
  ///   files' sizes and CRCs.
  /// - Throws: `EngineError`, or `SnapshotError` (also when the applied entry's term is gone
  ///   because the log was compacted past it meanwhile: generate again).
  package static func generate(
    regionID: UInt64, raftDB: Database, kvDB: Database, manager: SnapshotManager
  ) throws -> Eraftpb_Snapshot {
    let engine = try kvDB.snapshot()
    guard let applyBytes = try engine.get(.meta, Keys.applyStateKey(regionID)),
      let regionBytes = try engine.get(.meta, Keys.regionStateKey(regionID))
    else {
      throw RaftStoreError(code: .notBootstrapped, message: "region \(regionID) has no state")
    }
    let applyState = try RaftServerpb_RaftApplyState(serializedBytes: applyBytes)
    let region = try RaftServerpb_RegionLocalState(serializedBytes: regionBytes).region
    let index = applyState.appliedIndex
    let term = try term(of: index, applyState: applyState, regionID: regionID, raftDB: raftDB)
    let key = SnapshotKey(regionID: regionID, term: term, index: index)

    var data = RaftServerpb_RaftSnapshotData()
    data.region = region
    if applyState.hasSessions {
      data.sessions = applyState.sessions
      data.sessions.sessions = try SessionKeys.load(regionID) { cf, bounds in
        try engine.iterator(cf, bounds: bounds)
      }
    }
    let bounds = KeyBounds(
      lower: region.startKey.isEmpty ? nil : region.startKey,
      upper: region.endKey.isEmpty ? nil : region.endKey)
    for cf in ColumnFamily.data {
      let final = manager.path(.generated, key, cf.name)
      let temporary = manager.temporaryPath(for: final)
      let writer = try SnapshotCFFile.Writer(path: temporary)
      let iterator = try engine.iterator(cf, bounds: bounds)
      iterator.seekToFirst()
      while iterator.isValid {
        try writer.append(key: iterator.key, value: iterator.value)
        iterator.next()
      }
      try iterator.checkStatus()
      let (size, checksum) = try writer.finish()
      try SnapshotManager.install(temporary, as: final)
      var file = RaftServerpb_SnapshotCFFile()
      file.cf = cf.name
      file.size = size
      file.checksum = checksum
      data.meta.cfFiles.append(file)
      data.fileSize += size
    }
    manager.remove(.generated, regionID: regionID, below: index)

    var snapshot = Eraftpb_Snapshot()
    snapshot.metadata.index = index
    snapshot.metadata.term = term
    snapshot.metadata.confState.nodes = region.peers.map(\.id)
    snapshot.data = try data.serializedData()
    return snapshot
  }

  /// The term of entry `index` (the applied index): the truncated state's, or the entry's in
  /// the raft engine.
  private static func term(
    of index: UInt64, applyState: RaftServerpb_RaftApplyState, regionID: UInt64,
    raftDB: Database
  ) throws -> UInt64 {
    if index == applyState.truncatedState.index { return applyState.truncatedState.term }
    guard let bytes = try raftDB.get(.default, Keys.raftLogKey(regionID, index)) else {
      throw SnapshotError("region \(regionID): entry \(index) was compacted meanwhile")
    }
    return try Eraftpb_Entry(serializedBytes: bytes).term
  }
}
