import Client
import Engine
import Foundation
import Logging
import RaftStore
import Randomness
import Scheduler
import SchedulerFixture
import Storage
import Synchronization
import TestSupport
import TinyKVProto

@testable import StoreNode

/// A whole cluster in one process: the real scheduler (`SchedulerNode` served over loopback
/// gRPC, its balance schedulers running) and stores that each join through `StoreNode.join()`
/// with their own engines, run a `RaftStore` connected to the others by a `LocalTransport`, and
/// send store heartbeats and region heartbeats (carrying out the scheduler's operators with
/// `StoreOperations`): what `ClusterServer` does, without gRPC between stores.
///
/// Stores are named by their index (0, 1, ...): the folder `store-<index>` and the address
/// `127.0.0.1:<30000 + index>` (never dialled). A stopped store can be started again from its
/// folder.
final class SchedulerCluster: Sendable {
  /// What the cluster is started with.
  struct Options: Sendable {
    /// Seeds the scheduler's random choices (and whatever a test draws from ``random``).
    var seed: UInt64
    /// If not empty, the first store bootstraps the cluster with one region per range these
    /// keys split the key space into (as if split had run), instead of `StoreNode`'s single
    /// region; it still joins through `StoreNode.join()` afterwards.
    var splitKeys: [Data] = []
    /// The scheduler's `max-store-down-time`.
    var storeDownMillis: Int64 = 2_000
  }

  let options: Options
  let directory: TemporaryDirectory
  /// The scheduler itself (its operators, for checks).
  let node: SchedulerNode
  /// A client of the in-process scheduler.
  let scheduler: SchedulerClient
  let transport = LocalTransport()
  private let running = Mutex<[Int: RunningStore]>([:])
  private let storeIDs = Mutex<[Int: UInt64]>([:])

  private init(
    options: Options, directory: TemporaryDirectory, node: SchedulerNode,
    scheduler: SchedulerClient
  ) {
    self.options = options
    self.directory = directory
    self.node = node
    self.scheduler = scheduler
  }

  /// Short ticks (elections within 100-200 ms with the default 10 ticks), a region heartbeat
  /// every 100 ms, and the log compacted every 50 ms once 5 entries are everywhere, or past 40
  /// entries even if a (new) follower lags.
  static var storeConfig: RaftStoreConfig {
    var config = RaftStoreConfig()
    config.tickInterval = .milliseconds(10)
    config.regionHeartbeatTicks = 10
    config.raftLogGCTickInterval = 5
    config.raftLogGCThreshold = 5
    config.raftLogGCCountLimit = 40
    return config
  }

  /// Runs `body` with a cluster whose scheduler runs in process; no store is started yet.
  /// Every store still running when `body` ends is stopped.
  static func run(
    _ options: Options, _ body: @Sendable (SchedulerCluster) async throws -> Void
  ) async throws {
    let directory = try TemporaryDirectory("scheduler-cluster")
    var config = SchedulerConfig()
    config.storeDownMillis = options.storeDownMillis
    config.scheduleIntervalMillis = 50
    config.seed = options.seed
    let node = try SchedulerNode(
      dataDirectory: directory.appending("scheduler"), config: config, logger: logger("scheduler"))
    defer { node.close() }
    let background = Task { await node.runBackgroundTasks() }
    defer { background.cancel() }
    try await withInProcessScheduler(node) { scheduler in
      let cluster = SchedulerCluster(
        options: options, directory: directory, node: node, scheduler: scheduler)
      do {
        try await body(cluster)
      } catch {
        await cluster.stopAll()
        throw error
      }
      await cluster.stopAll()
    }
  }

  /// A logger that prints at `debug` when `CLUSTER_TEST_LOG` is set, else nothing.
  static func logger(_ label: String) -> Logger {
    guard ProcessInfo.processInfo.environment["CLUSTER_TEST_LOG"] != nil else {
      return Logger(label: label, factory: { _ in SwiftLogNoOpLogHandler() })
    }
    var logger = Logger(label: label)
    logger.logLevel = .debug
    return logger
  }

  /// Store `index`'s id (known once it joined).
  func storeID(_ index: Int) throws -> UInt64 {
    guard let id = storeIDs.withLock({ $0[index] }) else {
      throw TestFailure("store \(index) never joined")
    }
    return id
  }

  /// The running store `index`, if it runs.
  func store(_ index: Int) -> RunningStore? { running.withLock { $0[index] } }

  /// The running stores, by index.
  var runningStores: [RunningStore] {
    running.withLock { $0.values.sorted { $0.index < $1.index } }
  }

  /// The running store with id `storeID`, if any.
  func store(id storeID: UInt64) -> RunningStore? {
    running.withLock { $0.values.first { $0.storeID == storeID } }
  }

  /// Starts store `index` from its folder (new or used): joins the cluster, starts the raft
  /// store and its heartbeats.
  /// - Returns: the store's id.
  @discardableResult
  func start(_ index: Int) async throws -> UInt64 {
    let folder = try StoreFolder(directory.appending("store-\(index)"))
    do {
      let address = "127.0.0.1:\(30_000 + index)"
      if !options.splitKeys.isEmpty, try await !scheduler.isBootstrapped() {
        try await bootstrapRegions(folder, address: address)
      }
      let storeID = try await folder.node(scheduler, address: address).join()
      let logger = Self.logger("store-\(storeID)")
      let store = RaftStore(
        storeID: storeID, raftDB: folder.raftDB, kvDB: folder.kvDB,
        snapshots: try SnapshotManager(directory: folder.path + "/snap"), transport: transport,
        config: Self.storeConfig)
      let regionHeartbeats = RegionHeartbeats(
        scheduler: scheduler, executor: StoreOperations(store: store, logger: logger),
        logger: logger, backoff: (.milliseconds(20), .milliseconds(200)))
      let storeHeartbeat = StoreHeartbeat(
        scheduler: scheduler,
        collector: StoreStatsCollector(
          storeID: storeID, dataPath: folder.path, regionCount: { store.regionCount }),
        interval: .milliseconds(100), logger: logger)
      transport.add(store)
      do {
        try store.start(regionHeartbeats: { regionHeartbeats.send($0) })
      } catch {
        transport.remove(storeID)
        throw error
      }
      let tasks = [
        Task { await regionHeartbeats.run() }, Task { await storeHeartbeat.run() },
      ]
      let started = RunningStore(index: index, storeID: storeID, folder: folder, store: store)
      started.tasks.withLock { $0 = tasks }
      running.withLock { $0[index] = started }
      storeIDs.withLock { $0[index] = storeID }
      return storeID
    } catch {
      folder.close()
      throw error
    }
  }

  /// Stops store `index` (as a crash would: no goodbye to the scheduler): its heartbeats end,
  /// the transport forgets it, the raft store stops and the engines close.
  func stop(_ index: Int) async {
    guard let store = running.withLock({ $0.removeValue(forKey: index) }) else { return }
    let tasks = store.tasks.withLock { $0 }
    for task in tasks { task.cancel() }
    for task in tasks { await task.value }
    transport.remove(store.storeID)
    store.store.stop()
    store.folder.close()
  }

  /// Stops every running store.
  func stopAll() async {
    for store in runningStores { await stop(store.index) }
  }

  /// Bootstraps the cluster from `folder` with one region per range of `options.splitKeys`,
  /// each with one peer there: a store identity, the regions' initial states, `Bootstrap`.
  private func bootstrapRegions(_ folder: StoreFolder, address: String) async throws {
    let storeID = try await StoreNode(
      scheduler: scheduler, raftDB: folder.raftDB, kvDB: folder.kvDB, address: address,
      logger: Self.logger("bootstrap")
    ).identify()
    let bounds = [Data()] + options.splitKeys + [Data()]
    for (start, end) in zip(bounds, bounds.dropFirst()) {
      var region = Metapb_Region()
      region.id = try await scheduler.allocID()
      region.startKey = start
      region.endKey = end
      region.regionEpoch.version = 1
      region.regionEpoch.confVer = 1
      var peer = Metapb_Peer()
      peer.id = try await scheduler.allocID()
      peer.storeID = storeID
      region.peers = [peer]
      try RaftStore.bootstrap(region: region, raftDB: folder.raftDB, kvDB: folder.kvDB)
    }
    var store = Metapb_Store()
    store.id = storeID
    store.address = address
    try await scheduler.bootstrap(store: store)
  }
}

/// A started store of a ``SchedulerCluster``.
final class RunningStore: Sendable {
  let index: Int
  let storeID: UInt64
  let folder: StoreFolder
  let store: RaftStore
  /// The heartbeat tasks, cancelled by `stop`.
  let tasks = Mutex<[Task<Void, Never>]>([])

  init(index: Int, storeID: UInt64, folder: StoreFolder, store: RaftStore) {
    self.index = index
    self.storeID = storeID
    self.folder = folder
    self.store = store
  }

  /// The live (not tombstoned) regions this store has state of, from its kv engine.
  func regions() throws -> [Metapb_Region] {
    try RaftStore.regionIDs(kvDB: folder.kvDB).compactMap { try folder.localRegion($0) }
  }

  /// This store's region holding `key`, if it has one.
  func region(containing key: Data) throws -> Metapb_Region? {
    try regions().first { $0.contains(key) }
  }

  /// `key` in this store's kv engine, read directly (a replica's copy, not linearizable).
  func local(_ key: Data) throws -> Data? { try folder.kvDB.get(.default, key) }
}

extension SchedulerCluster {
  /// Writes `key` = `value` through `RaftStorage` of whichever store leads the key's region
  /// (each running store with the region is tried with its local view of the region),
  /// retrying until `deadline`.
  func put(_ key: Data, _ value: Data, within deadline: Duration = .seconds(10)) async throws {
    try await served("put", key: key, within: deadline) { storage, context in
      try await storage.write(context, [.put(.default, key: key, value: value)])
    }
  }

  /// Reads `key` linearizably through `RaftStorage` of the store leading its region.
  func get(_ key: Data, within deadline: Duration = .seconds(10)) async throws -> Data? {
    try await served("get", key: key, within: deadline) { storage, context in
      try await storage.reader(context).get(.default, key)
    }
  }

  private func served<T: Sendable>(
    _ what: String, key: Data, within deadline: Duration,
    _ operation: (RaftStorage, Kvrpcpb_Context) async throws -> T
  ) async throws -> T {
    let end = ContinuousClock.now + deadline
    var lastError: (any Error)?
    while ContinuousClock.now < end {
      for running in runningStores {
        guard let region = try running.region(containing: key),
          let peer = region.peers.first(where: { $0.storeID == running.storeID })
        else { continue }
        var context = Kvrpcpb_Context()
        context.regionID = region.id
        context.regionEpoch = region.regionEpoch
        context.peer = peer
        do {
          return try await operation(
            RaftStorage(store: running.store, timeout: .seconds(1)), context)
        } catch {
          lastError = error
        }
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw TestFailure(
      "\(what) \(String(decoding: key, as: UTF8.self)) not served within \(deadline): "
        + String(describing: lastError))
  }

  /// The scheduler's view of region `regionID` (peers, leader), if it has one.
  func schedulerRegion(_ regionID: UInt64) async throws -> RegionLocation? {
    try await scheduler.region(id: regionID)
  }

  /// Whether the scheduler sees region `regionID` with exactly the peers on `stores` and a
  /// leader, and each of those stores runs and holds the region (at the same conf version)
  /// with every pair of `data` in its own engine.
  func isReplicated(
    _ regionID: UInt64, on stores: Set<UInt64>, holding data: [Data: Data]
  ) async throws -> Bool {
    guard let location = try await scheduler.region(id: regionID), location.leader != nil,
      Set(location.region.peers.map(\.storeID)) == stores,
      location.region.peers.count == stores.count
    else { return false }
    for storeID in stores {
      guard let store = store(id: storeID),
        let local = try store.regions().first(where: { $0.id == regionID }),
        local.regionEpoch == location.region.regionEpoch
      else { return false }
      for (key, value) in data where local.contains(key) {
        if try store.local(key) != value { return false }
      }
    }
    return true
  }
}

/// The seed of a cluster test: `CLUSTER_TEST_SEED` if set, else a fresh one; printed so that a
/// failing run can be repeated.
func clusterTestSeed(_ test: String) -> UInt64 {
  let seed =
    ProcessInfo.processInfo.environment["CLUSTER_TEST_SEED"].flatMap { UInt64($0) }
    ?? UInt64.random(in: 1...UInt64.max)
  print("\(test): seed \(seed) (CLUSTER_TEST_SEED=\(seed) repeats it)")
  return seed
}

extension SchedulerCluster {
  /// Region `regionID` as the scheduler and every running store see it, and the data keys a
  /// store lacks: for failure messages.
  func describe(_ regionID: UInt64, data: [Data: Data]) async -> String {
    var lines: [String] = []
    let location = try? await scheduler.region(id: regionID)
    lines.append(
      "scheduler: peers \(location?.region.peers.map { "\($0.id)@\($0.storeID)" } ?? []) "
        + "epoch \(location?.region.regionEpoch.confVer ?? 0) "
        + "leader \(location?.leader.map { "\($0.id)@\($0.storeID)" } ?? "-")")
    for op in node.cluster.runningOperators() + node.cluster.finishedOperators()
    where op.regionID == regionID {
      lines.append("operator: \(op)")
    }
    for store in runningStores {
      let local = (try? store.regions())?.first { $0.id == regionID }
      let keys = data.keys.filter { local?.contains($0) ?? true }
      let missing = keys.filter { (try? store.local($0)) != data[$0] }.count
      lines.append(
        "store \(store.storeID): "
          + (local.map {
            "peers \($0.peers.map { "\($0.id)@\($0.storeID)" }) conf_ver \($0.regionEpoch.confVer)"
          } ?? "no region") + ", \(missing) of \(keys.count) keys missing")
    }
    return lines.joined(separator: "\n")
  }

  /// Waits until ``isReplicated(_:on:holding:)``; the failure describes the region.
  func waitUntilReplicated(
    _ regionID: UInt64, on stores: Set<UInt64>, holding data: [Data: Data],
    timeout: Duration = .seconds(15)
  ) async throws {
    do {
      try await eventually("region \(regionID) on stores \(stores.sorted())", timeout: timeout) {
        try await isReplicated(regionID, on: stores, holding: data)
      }
    } catch let failure as TestFailure {
      throw TestFailure("\(failure)\n\(await describe(regionID, data: data))")
    }
  }
}
