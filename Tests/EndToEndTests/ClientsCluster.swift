import Client
import Foundation
import TestSupport
import Testing
import TinyKVProto

/// The cluster TiKV's clients run against: the scheduler and 3 stores as processes, with small
/// regions so that the scripts' writes split the key space.
final class ClientsCluster: @unchecked Sendable {
  let directory: TemporaryDirectory
  let schedulerPort: Int
  let scheduler: ServerProcess
  /// The running store processes, replaced on restart.
  private(set) var stores: [ServerProcess]
  let storePorts: [Int]
  private var restarts = 0

  /// The scheduler's address, as TiKV's clients take PD's.
  var pd: String { "127.0.0.1:\(schedulerPort)" }

  static let raftstoreSettings = [
    "split-region-check-tick-interval = 5", "region-max-size = \"24KiB\"",
    "region-split-size = \"12KiB\"", "region-split-check-diff = \"4KiB\"",
  ]

  private init(
    directory: TemporaryDirectory, schedulerPort: Int, scheduler: ServerProcess,
    stores: [ServerProcess], storePorts: [Int]
  ) {
    self.directory = directory
    self.schedulerPort = schedulerPort
    self.scheduler = scheduler
    self.stores = stores
    self.storePorts = storePorts
  }

  /// Starts the scheduler and 3 stores and waits until the first region is led and has its 3
  /// replicas.
  static func start() async throws -> ClientsCluster {
    let directory = try TemporaryDirectory("tikv-clients")
    let schedulerPort = try FreePort.allocate()
    let scheduler = try await startScheduler(port: schedulerPort, directory: directory)
    var stores: [ServerProcess] = []
    var ports: [Int] = []
    do {
      for index in 0..<3 {
        let port = try FreePort.allocate()
        stores.append(
          try await startClusterStore(
            name: "store-\(index)", port: port, schedulerPort: schedulerPort,
            directory: directory, raftstoreSettings: raftstoreSettings))
        ports.append(port)
      }
    } catch {
      for store in stores { store.stop() }
      scheduler.stop()
      throw error
    }
    let cluster = ClientsCluster(
      directory: directory, schedulerPort: schedulerPort, scheduler: scheduler, stores: stores,
      storePorts: ports)
    try await cluster.withScheduler { scheduler in
      try await eventually("a region led and replicated on 3 stores", timeout: .seconds(60)) {
        let regions = try await scheduler.scanRegions(limit: 10)
        return !regions.isEmpty
          && regions.allSatisfy { $0.leader != nil && $0.region.peers.count == 3 }
      }
    }
    return cluster
  }

  /// Stops every process.
  func stop() {
    for store in stores { store.stop() }
    scheduler.stop()
  }

  func withScheduler<T: Sendable>(_ body: (SchedulerClient) async throws -> T) async throws -> T {
    try await SchedulerClient.connect(to: HostAndPort(host: "127.0.0.1", port: schedulerPort)) {
      try await body($0)
    }
  }

  /// The index of the store whose peers lead the most regions, as the scheduler sees it.
  func storeLeadingMostRegions() async throws -> Int {
    try await withScheduler { scheduler in
      let addresses = Dictionary(
        uniqueKeysWithValues: try await scheduler.stores().map { ($0.id, $0.address) })
      var led = [Int](repeating: 0, count: storePorts.count)
      for region in try await scheduler.scanRegions() {
        guard let leader = region.leader, let address = addresses[leader.storeID],
          let index = storePorts.firstIndex(where: { address.hasSuffix(":\($0)") })
        else { continue }
        led[index] += 1
      }
      return led.indices.max { led[$0] < led[$1] } ?? 0
    }
  }

  /// Waits until the scheduler knows a leader for every region and none on the store at
  /// `port` (its regions elected new leaders that reported).
  func waitUntilNoRegionIsLed(byStorePort port: Int) async throws {
    try await withScheduler { scheduler in
      let stores = try await scheduler.stores()
      let storeID = try #require(stores.first { $0.address.hasSuffix(":\(port)") }?.id)
      try await eventually("every region led by another store", timeout: .seconds(60)) {
        try await scheduler.scanRegions().allSatisfy {
          $0.leader != nil && $0.leader?.storeID != storeID
        }
      }
    }
  }

  /// Starts store `index` again on its port and data (after it was stopped), keeping the
  /// previous run's log.
  func restartStore(_ index: Int) async throws {
    restarts += 1
    stores[index] = try await startClusterStore(
      name: "store-\(index)", port: storePorts[index], schedulerPort: schedulerPort,
      directory: directory, logName: "store-\(index)-run\(restarts + 1)",
      raftstoreSettings: Self.raftstoreSettings)
  }
}
