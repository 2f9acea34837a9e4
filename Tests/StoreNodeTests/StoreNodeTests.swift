import Client
import Engine
import Foundation
import Logging
import RaftStore
import Scheduler
import SchedulerFixture
import TestSupport
import Testing
import TinyKVProto

@testable import StoreNode

/// A store folder: a raft and a kv engine with small caches.
final class StoreFolder: Sendable {
  let path: String
  let raftDB: Database
  let kvDB: Database

  init(_ path: String) throws {
    self.path = path
    var raftOptions = DatabaseOptions()
    raftOptions.columnFamilies = [.default]
    raftOptions.blockCacheBytes = 1 << 20
    raftOptions.writeBufferBytes = 1 << 20
    raftOptions.backgroundThreads = 1
    var kvOptions = raftOptions
    kvOptions.columnFamilies = ColumnFamily.all
    raftDB = try Database(path: path + "/raft", options: raftOptions)
    kvDB = try Database(path: path + "/kv", options: kvOptions)
  }

  func node(_ scheduler: SchedulerClient, address: String = "127.0.0.1:20160") -> StoreNode {
    StoreNode(
      scheduler: scheduler, raftDB: raftDB, kvDB: kvDB, address: address,
      logger: Logger(label: "store-node-test", factory: { _ in SwiftLogNoOpLogHandler() }))
  }

  func close() {
    raftDB.close()
    kvDB.close()
  }
}

/// Runs `body` with a client of a scheduler served in-process (state under `directory`).
func withScheduler(
  in directory: TemporaryDirectory, _ body: @Sendable (SchedulerClient) async throws -> Void
) async throws {
  let node = try SchedulerNode(dataDirectory: directory.appending("scheduler"))
  defer { node.close() }
  try await withInProcessScheduler(node, body)
}

@Suite("Store node: joining the cluster")
struct StoreNodeTests {
  @Test("a fresh store gets an id, bootstraps the cluster with its first region, registers")
  func freshStoreBootstraps() async throws {
    let directory = try TemporaryDirectory("store-node")
    try await withScheduler(in: directory) { scheduler in
      let folder = try StoreFolder(directory.appending("store"))
      defer { folder.close() }
      #expect(try await !scheduler.isBootstrapped())
      let storeID = try await folder.node(scheduler, address: "127.0.0.1:20161").join()
      #expect(try await scheduler.isBootstrapped())
      #expect(try await scheduler.store(id: storeID).store.address == "127.0.0.1:20161")
      let regions = try RaftStore.regionIDs(kvDB: folder.kvDB)
      #expect(regions.count == 1)
      // Joining again (a restart) keeps the identity and the region.
      #expect(try await folder.node(scheduler, address: "127.0.0.1:20171").join() == storeID)
      #expect(try RaftStore.regionIDs(kvDB: folder.kvDB) == regions)
      #expect(try await scheduler.store(id: storeID).store.address == "127.0.0.1:20171")
    }
  }

  @Test("a store that joins a bootstrapped cluster prepares no region")
  func laterStoreHasNoRegion() async throws {
    let directory = try TemporaryDirectory("store-node")
    try await withScheduler(in: directory) { scheduler in
      let first = try StoreFolder(directory.appending("first"))
      let second = try StoreFolder(directory.appending("second"))
      defer {
        first.close()
        second.close()
      }
      let firstID = try await first.node(scheduler).join()
      let secondID = try await second.node(scheduler, address: "127.0.0.1:20162").join()
      #expect(firstID != secondID)
      #expect(try RaftStore.regionIDs(kvDB: second.kvDB).isEmpty)
      #expect(try await scheduler.stores().map(\.id).sorted() == [firstID, secondID].sorted())
    }
  }

  @Test("of two stores racing to bootstrap, exactly one keeps its first region")
  func bootstrapRace() async throws {
    let directory = try TemporaryDirectory("store-node")
    try await withScheduler(in: directory) { scheduler in
      let folders = try (0..<3).map { try StoreFolder(directory.appending("store-\($0)")) }
      defer { for folder in folders { folder.close() } }
      try await withThrowingTaskGroup(of: Void.self) { group in
        for (index, folder) in folders.enumerated() {
          group.addTask {
            _ = try await folder.node(scheduler, address: "127.0.0.1:\(20160 + index)").join()
          }
        }
        try await group.waitForAll()
      }
      let regionCounts = try folders.map { try RaftStore.regionIDs(kvDB: $0.kvDB).count }
      #expect(regionCounts.sorted() == [0, 0, 1], "regions per store: \(regionCounts)")
      #expect(try await scheduler.stores().count == 3)
    }
  }

  @Test("a store that bootstrapped the cluster and crashed before settling keeps its region")
  func crashAfterBootstrapKeepsRegion() async throws {
    let directory = try TemporaryDirectory("store-node")
    try await withScheduler(in: directory) { scheduler in
      let folder = try StoreFolder(directory.appending("store"))
      defer { folder.close() }
      let node = folder.node(scheduler)
      // The steps of `join` up to the crash: identity, prepared region, Bootstrap accepted.
      let storeID = try await node.identify()
      let region = try #require(try await node.prepareFirstRegion(storeID: storeID))
      var store = Metapb_Store()
      store.id = storeID
      store.address = node.address
      try await scheduler.bootstrap(store: store)
      // Restart: Bootstrap now answers ALREADY_BOOTSTRAPPED, but the store is registered.
      #expect(try await folder.node(scheduler).join() == storeID)
      #expect(try RaftStore.regionIDs(kvDB: folder.kvDB) == [region.id])
    }
  }

  @Test("a store that prepared a region and lost the race while down gives the region up")
  func lostRaceWhileDownClearsRegion() async throws {
    let directory = try TemporaryDirectory("store-node")
    try await withScheduler(in: directory) { scheduler in
      let late = try StoreFolder(directory.appending("late"))
      let winner = try StoreFolder(directory.appending("winner"))
      defer {
        late.close()
        winner.close()
      }
      let lateNode = late.node(scheduler)
      let lateID = try await lateNode.identify()
      _ = try #require(try await lateNode.prepareFirstRegion(storeID: lateID))
      // Crash here; meanwhile another store bootstraps the cluster.
      _ = try await winner.node(scheduler, address: "127.0.0.1:20199").join()
      #expect(try await late.node(scheduler).join() == lateID)
      #expect(try RaftStore.regionIDs(kvDB: late.kvDB).isEmpty)
      #expect(try RaftStore.regionIDs(kvDB: winner.kvDB).count == 1)
    }
  }

  @Test("a folder of another cluster, or with data but no identity, is refused")
  func foreignFoldersRefused() async throws {
    let directory = try TemporaryDirectory("store-node")
    try await withScheduler(in: directory) { scheduler in
      let foreign = try StoreFolder(directory.appending("foreign"))
      defer { foreign.close() }
      _ = try await foreign.node(scheduler).join()
      let batch = try foreign.kvDB.makeWriteBatch()
      var ident = RaftServerpb_StoreIdent()
      ident.clusterID = scheduler.clusterID &+ 1
      ident.storeID = 1
      try batch.put(.meta, Data([0x01, 0x01]), ident.serializedData())
      try foreign.kvDB.write(batch, sync: true)
      await #expect {
        _ = try await foreign.node(scheduler).join()
      } throws: { error in
        "\(error)".contains("belongs to cluster \(ident.clusterID)")
      }

      let unknown = try StoreFolder(directory.appending("unknown"))
      defer { unknown.close() }
      let data = try unknown.kvDB.makeWriteBatch()
      try data.put(.default, Data("user-key".utf8), Data("value".utf8))
      try unknown.kvDB.write(data, sync: true)
      await #expect {
        _ = try await unknown.node(scheduler).join()
      } throws: { error in
        "\(error)".contains("holds data but no store identity")
      }
    }
  }

  @Test("store heartbeats reach the scheduler with the store's statistics")
  func storeHeartbeats() async throws {
    let directory = try TemporaryDirectory("store-node")
    try await withScheduler(in: directory) { scheduler in
      let folder = try StoreFolder(directory.appending("store"))
      defer { folder.close() }
      let storeID = try await folder.node(scheduler).join()
      let collector = StoreStatsCollector(
        storeID: storeID, dataPath: folder.path, regionCount: { 7 })
      let heartbeat = StoreHeartbeat(
        scheduler: scheduler, collector: collector, interval: .milliseconds(50),
        logger: Logger(label: "heartbeat-test", factory: { _ in SwiftLogNoOpLogHandler() }))
      let task = Task { await heartbeat.run() }
      defer { task.cancel() }
      try await eventually("the scheduler has the store's stats") {
        guard let stats = try await scheduler.store(id: storeID).stats else { return false }
        return stats.regionCount == 7 && stats.capacity > 0 && stats.available > 0
          && stats.available <= stats.capacity && stats.usedSize > 0
      }
    }
  }
}

extension StoreFolder {
  /// Region `id` as stored on this store (its `RegionLocalState`).
  func localRegion(_ id: UInt64) throws -> Metapb_Region? {
    var key = Data([0x01, 0x03])
    withUnsafeBytes(of: id.bigEndian) { key.append(contentsOf: $0) }
    key.append(0x01)
    guard let bytes = try kvDB.get(.meta, key) else { return nil }
    return try RaftServerpb_RegionLocalState(serializedBytes: bytes).region
  }
}
