import Foundation
import Logging
import TinyKVProto

@testable import Scheduler

/// A temporary folder removed when the test is done with it.
final class TempDirectory: Sendable {
  let path: String

  init() {
    path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("scheduler-tests-\(UUID().uuidString)").path
  }

  deinit { try? FileManager.default.removeItem(atPath: path) }
}

func peer(_ id: UInt64, store: UInt64) -> Metapb_Peer {
  var peer = Metapb_Peer()
  peer.id = id
  peer.storeID = store
  return peer
}

func storeMeta(_ id: UInt64, address: String? = nil) -> Metapb_Store {
  var store = Metapb_Store()
  store.id = id
  store.address = address ?? "127.0.0.1:\(20160 + id)"
  return store
}

/// A region `[start, end)` with the given epoch and peers; the first peer leads.
func region(
  _ id: UInt64, _ start: String, _ end: String, version: UInt64 = 1, confVer: UInt64 = 1,
  peers: [(UInt64, UInt64)], leaderIndex: Int? = 0, pending: [UInt64] = [], sizeMiB: UInt64 = 1
) -> RegionInfo {
  var meta = Metapb_Region()
  meta.id = id
  meta.startKey = Data(start.utf8)
  meta.endKey = Data(end.utf8)
  meta.regionEpoch.version = version
  meta.regionEpoch.confVer = confVer
  meta.peers = peers.map { peer($0.0, store: $0.1) }
  return RegionInfo(
    meta: meta, leader: leaderIndex.map { meta.peers[$0] },
    pendingPeers: meta.peers.filter { pending.contains($0.id) },
    approximateSizeBytes: sizeMiB << 20)
}

/// A scheduler node on a manual clock in a temporary folder, logging only critical lines
/// unless given a logger.
struct TestNode {
  let directory: TempDirectory
  let clock: ManualClock
  let node: SchedulerNode

  init(
    config: SchedulerConfig = SchedulerConfig(), directory: TempDirectory = TempDirectory(),
    clock: ManualClock = ManualClock(), logger: Logger? = nil
  ) throws {
    self.directory = directory
    self.clock = clock
    var quiet = Logger(label: "test")
    quiet.logLevel = .critical
    let logger = logger ?? quiet
    node = try SchedulerNode(
      dataDirectory: directory.path, config: config, clock: clock, logger: logger)
  }

  var cluster: Cluster { node.cluster }

  /// Bootstraps with store 1 and adds stores 2...count, all heard from now.
  func bootstrap(stores count: UInt64) throws {
    try cluster.bootstrap(store: storeMeta(1))
    for id in 2...max(2, count) where id <= count { try cluster.putStore(storeMeta(id)) }
    heartbeatStores()
  }

  func heartbeatStores() {
    for store in (try? cluster.stores(excludingTombstones: true)) ?? [] {
      var stats = Schedulerpb_StoreStats()
      stats.storeID = store.id
      try? cluster.storeHeartbeat(stats)
    }
  }
}
