import Client
import Engine
import Foundation
import KVServer
import Logging
import Metrics
import Observability
import RaftStore
import RaftTransport
import StoreNode
import TinyKVProto

/// `tinykv-server` in cluster mode: one store of a cluster run by `tinyscheduler-server`.
///
/// Start-up: open the raft engine (`<path>/raft`), the kv engine (`<path>/kv`) and the snapshot
/// folder (`<path>/snap`); connect to the scheduler; join the cluster (`StoreNode`: identity,
/// first-region bootstrap, registration); start the transport and the raft store; serve the
/// `TinyKv` service over `RaftStorage` (and the store-to-store streams), the status address,
/// and the store and region heartbeats. Shutdown on SIGINT/SIGTERM: stop taking RPCs, stop the
/// heartbeats, stop the store (waiting commands fail with `stopped`), shut the transport down,
/// close the engines.
struct ClusterServer {
  let settings: StoreSettings
  let logger: Logger

  func run() async throws {
    let path = settings.path
    let raftDB: Database
    let kvDB: Database
    let snapshots: SnapshotManager
    do {
      var raftOptions = settings.rocksdb
      raftOptions.columnFamilies = [.default]
      raftDB = try Database(path: path + "/raft", options: raftOptions)
      kvDB = try Database(path: path + "/kv", options: settings.rocksdb)
      snapshots = try SnapshotManager(directory: path + "/snap")
    } catch {
      throw Fatal("cannot open the data folder \(path): \(error)")
    }
    defer {
      raftDB.close()
      kvDB.close()
    }
    let schedulerEndpoint = try HostAndPort(parsing: settings.scheduler)
    var options = SchedulerClient.Options()
    options.retryTimeout = .seconds(30)
    do {
      try await SchedulerClient.connect(to: schedulerEndpoint, options: options) { scheduler in
        try await serve(scheduler: scheduler, raftDB: raftDB, kvDB: kvDB, snapshots: snapshots)
      }
    } catch let error as Fatal {
      throw error
    } catch {
      throw Fatal("cluster mode failed: \(error)")
    }
  }

  private func serve(
    scheduler: SchedulerClient, raftDB: Database, kvDB: Database, snapshots: SnapshotManager
  ) async throws {
    logger.info("connected to the scheduler", metadata: ["cluster": "\(scheduler.clusterID)"])
    let storeID = try await StoreNode(
      scheduler: scheduler, raftDB: raftDB, kvDB: kvDB, address: settings.advertisedAddress,
      logger: logger
    ).join()
    let transport = GRPCTransport(
      resolver: SchedulerStoreResolver(scheduler: scheduler), config: settings.transport,
      logger: Logger(label: "tinykv.transport"))
    let store = RaftStore(
      storeID: storeID, raftDB: raftDB, kvDB: kvDB, snapshots: snapshots, transport: transport,
      config: settings.raftstore)
    let heartbeats = RegionHeartbeats(
      scheduler: scheduler, executor: StoreOperations(store: store, logger: logger),
      logger: logger)
    transport.start(snapshotFiles: snapshots, reports: { store.report($0) })
    do {
      try store.start(
        regionHeartbeats: { heartbeats.send($0) },
        splitIDs: SchedulerSplitIDs(scheduler: scheduler))
    } catch {
      await transport.shutdown()
      throw Fatal("cannot start the store: \(error)")
    }
    logger.info(
      "store started",
      metadata: [
        "store": "\(storeID)", "regions": "\(store.regionCount)",
      ])
    let storeHeartbeat = StoreHeartbeat(
      scheduler: scheduler,
      collector: StoreStatsCollector(
        storeID: storeID, dataPath: settings.path,
        regionCount: { store.regionCount }),
      interval: settings.storeHeartbeatInterval, logger: logger)
    let kvEngine = EngineMetrics(database: kvDB, name: "kv")
    let raftEngine = EngineMetrics(database: raftDB, name: "raft")
    let storage = RaftStorage(store: store, timeout: settings.commandTimeout)
    do {
      try await Serving(settings: settings, logger: logger).run(
        services: keyValueServices(storage: storage, receiver: store),
        registry: bootstrapPrometheusMetrics(),
        beforeScrape: {
          kvEngine.update()
          raftEngine.update()
          Gauge(label: "tinykv_raftstore_rounds").record(store.statistics.rounds)
          Gauge(label: "tinykv_raftstore_synced_writes").record(store.statistics.syncedWrites)
        },
        background: [{ await storeHeartbeat.run() }, { await heartbeats.run() }])
    } catch {
      store.stop()
      await transport.shutdown()
      throw error
    }
    store.stop()
    await transport.shutdown()
  }
}
