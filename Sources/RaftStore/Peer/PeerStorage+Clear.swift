import Engine
import TinyKVProto

extension RaftStore {
  /// Removes a region this store bootstrapped but that never became part of the cluster (it
  /// lost the race to bootstrap the cluster): its region, apply and raft states, so the store
  /// starts without it. The region must not be running. Syncs both engines; the kv-engine
  /// states go first, so a crash in between leaves a raft state no region refers to, which
  /// nothing loads.
  /// - Throws: `EngineError` on I/O failure.
  public static func clearBootstrap(regionID: UInt64, raftDB: Database, kvDB: Database) throws {
    let kvBatch = try kvDB.makeWriteBatch()
    try kvBatch.delete(.meta, Keys.regionStateKey(regionID))
    try kvBatch.delete(.meta, Keys.applyStateKey(regionID))
    try SessionKeys.remove(regionID, in: kvBatch)
    try kvDB.write(kvBatch, sync: true)
    let raftBatch = try raftDB.makeWriteBatch()
    try raftBatch.delete(.default, Keys.raftStateKey(regionID))
    try raftDB.write(raftBatch, sync: true)
  }

  /// The ids of the regions with state on this store (loaded by ``start()``), except those
  /// whose peer here was removed (tombstones).
  /// - Throws: `EngineError` on I/O failure.
  public static func regionIDs(kvDB: Database) throws -> [UInt64] {
    try PeerStorage.regionIDs(in: kvDB)
  }
}
