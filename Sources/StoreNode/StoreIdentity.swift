import Engine
import Foundation
import TinyKVProto

/// The records that tie a store's data folder to a cluster, under TinyKV's local keys in the kv
/// engine's `meta` column family:
///
/// | what | key |
/// | --- | --- |
/// | `StoreIdent` (cluster id, store id) | `0x01 0x01` |
/// | prepared first region (`RegionLocalState`), while bootstrapping the cluster | `0x01 0x02` |
enum StoreIdentity {
  static let storeIdentKey = Data([0x01, 0x01])
  static let prepareBootstrapKey = Data([0x01, 0x02])

  /// The store's identity, if this folder has joined a cluster.
  static func load(from kvDB: Database) throws -> RaftServerpb_StoreIdent? {
    guard let bytes = try kvDB.get(.meta, storeIdentKey) else { return nil }
    return try RaftServerpb_StoreIdent(serializedBytes: bytes)
  }

  /// Records the store's identity (synced).
  static func save(_ ident: RaftServerpb_StoreIdent, to kvDB: Database) throws {
    let batch = try kvDB.makeWriteBatch()
    try batch.put(.meta, storeIdentKey, ident.serializedData())
    try kvDB.write(batch, sync: true)
  }

  /// The first region this store prepared for bootstrapping the cluster, if the bootstrap has
  /// not been settled yet.
  static func preparedRegion(in kvDB: Database) throws -> Metapb_Region? {
    guard let bytes = try kvDB.get(.meta, prepareBootstrapKey) else { return nil }
    return try RaftServerpb_RegionLocalState(serializedBytes: bytes).region
  }

  /// Records (synced) that `region` is being prepared as the cluster's first region.
  static func markPrepared(_ region: Metapb_Region, in kvDB: Database) throws {
    var state = RaftServerpb_RegionLocalState()
    state.region = region
    let batch = try kvDB.makeWriteBatch()
    try batch.put(.meta, prepareBootstrapKey, state.serializedData())
    try kvDB.write(batch, sync: true)
  }

  /// Forgets the prepared region's marker (synced): the bootstrap is settled.
  static func clearPrepared(in kvDB: Database) throws {
    let batch = try kvDB.makeWriteBatch()
    try batch.delete(.meta, prepareBootstrapKey)
    try kvDB.write(batch, sync: true)
  }

  /// Whether `database` holds no key at all, in any of its column families.
  static func isEmpty(_ database: Database) throws -> Bool {
    for cf in database.columnFamilies {
      let iterator = try database.iterator(cf, bounds: KeyBounds())
      iterator.seekToFirst()
      if iterator.isValid { return false }
      try iterator.checkStatus()
    }
    return true
  }
}
