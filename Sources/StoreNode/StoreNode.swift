import Client
import Engine
import Foundation
import Logging
import RaftStore
import TinyKVProto

/// A store joining its cluster, as TiKV's and TinyKV's `Node` does at start:
///
/// 1. **Identity.** A data folder without a `StoreIdent` gets a store id from the scheduler's
///    `AllocID` and records it (refused if the folder already holds data of unknown origin);
///    a folder of another cluster is refused.
/// 2. **First region.** If the cluster is not bootstrapped, the store prepares the first region
///    locally (one peer, on this store, over the whole key space, TinyKV's initial log term and
///    index), marks it prepared, and calls `Bootstrap`. Losing that race to another store (the
///    scheduler answers `ALREADY_BOOTSTRAPPED` and does not know this store) removes the
///    prepared region; a store that won but crashed before clearing the mark finds itself
///    registered and keeps it. Either way the mark is cleared, so the question is settled once.
/// 3. **Registration.** `PutStore` with the advertised address.
public struct StoreNode: Sendable {
  /// The scheduler of the cluster.
  public let scheduler: SchedulerClient
  /// The store's raft engine.
  public let raftDB: Database
  /// The store's kv engine.
  public let kvDB: Database
  /// The address other stores and clients reach this store at.
  public let address: String
  /// Where progress is reported.
  public let logger: Logger

  /// A node for the store whose engines are `raftDB` and `kvDB`.
  public init(
    scheduler: SchedulerClient, raftDB: Database, kvDB: Database, address: String, logger: Logger
  ) {
    self.scheduler = scheduler
    self.raftDB = raftDB
    self.kvDB = kvDB
    self.address = address
    self.logger = logger
  }

  /// Runs the three steps; afterwards the store can start its regions.
  /// - Returns: this store's id.
  /// - Throws: `StoreNodeError` for a folder that cannot join this cluster,
  ///   `SchedulerClientError` if the scheduler stays unreachable, `EngineError` on I/O failure.
  public func join() async throws -> UInt64 {
    let storeID = try await identify()
    if let region = try await prepareFirstRegion(storeID: storeID) {
      try await bootstrapCluster(storeID: storeID, region: region)
    }
    var store = Metapb_Store()
    store.id = storeID
    store.address = address
    try await scheduler.putStore(store)
    logger.info("store registered", metadata: ["store": "\(storeID)", "address": "\(address)"])
    return storeID
  }

  /// Step 1: this folder's store id, allocated and recorded the first time.
  func identify() async throws -> UInt64 {
    if let ident = try StoreIdentity.load(from: kvDB) {
      guard ident.clusterID == scheduler.clusterID else {
        throw StoreNodeError(
          "the data folder belongs to cluster \(ident.clusterID), but the scheduler serves "
            + "cluster \(scheduler.clusterID)")
      }
      return ident.storeID
    }
    guard try StoreIdentity.isEmpty(kvDB), try StoreIdentity.isEmpty(raftDB) else {
      throw StoreNodeError(
        "the data folder holds data but no store identity; refusing to join it to a cluster")
    }
    var ident = RaftServerpb_StoreIdent()
    ident.clusterID = scheduler.clusterID
    ident.storeID = try await scheduler.allocID()
    try StoreIdentity.save(ident, to: kvDB)
    logger.info(
      "new store", metadata: ["store": "\(ident.storeID)", "cluster": "\(ident.clusterID)"])
    return ident.storeID
  }

  /// Step 2a: the first region to bootstrap the cluster with, prepared on this store, or nil if
  /// the cluster is bootstrapped and nothing is left to settle.
  func prepareFirstRegion(storeID: UInt64) async throws -> Metapb_Region? {
    if let region = try StoreIdentity.preparedRegion(in: kvDB) {
      // A crash may have come between the mark and the region's state: bootstrap it again.
      if try !RaftStore.regionIDs(kvDB: kvDB).contains(region.id) {
        try RaftStore.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
      }
      return region
    }
    if try await scheduler.isBootstrapped() { return nil }
    var peer = Metapb_Peer()
    peer.id = try await scheduler.allocID()
    peer.storeID = storeID
    var region = Metapb_Region()
    region.id = try await scheduler.allocID()
    region.regionEpoch.version = 1
    region.regionEpoch.confVer = 1
    region.peers = [peer]
    try StoreIdentity.markPrepared(region, in: kvDB)
    try RaftStore.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
    logger.info("prepared the first region", metadata: ["region": "\(region.id)"])
    return region
  }

  /// Step 2b: bootstraps the cluster with the prepared region, or gives the region up if
  /// another store bootstrapped the cluster first.
  func bootstrapCluster(storeID: UInt64, region: Metapb_Region) async throws {
    var store = Metapb_Store()
    store.id = storeID
    store.address = address
    do {
      try await scheduler.bootstrap(store: store)
      logger.info("bootstrapped the cluster", metadata: ["region": "\(region.id)"])
    } catch let error as SchedulerClientError where error.type == .alreadyBootstrapped {
      if try await isRegistered(storeID) {
        logger.info(
          "the cluster was bootstrapped by this store before a restart",
          metadata: ["region": "\(region.id)"])
      } else {
        try RaftStore.clearBootstrap(regionID: region.id, raftDB: raftDB, kvDB: kvDB)
        logger.info(
          "another store bootstrapped the cluster first; the prepared region is removed",
          metadata: ["region": "\(region.id)"])
      }
    }
    try StoreIdentity.clearPrepared(in: kvDB)
  }

  /// Whether the scheduler knows store `storeID` (it registered the store that bootstrapped).
  private func isRegistered(_ storeID: UInt64) async throws -> Bool {
    do {
      return try await scheduler.store(id: storeID).store.id == storeID
    } catch let error as SchedulerClientError where error.type != nil {
      return false
    }
  }
}
