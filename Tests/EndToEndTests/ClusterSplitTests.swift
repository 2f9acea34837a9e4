import Client
import Foundation
import TestSupport
import Testing

/// Regions splitting across real processes: the scheduler and 3 stores with low split
/// thresholds, written through the routing client until the key space is several regions of
/// three replicas each; then a store is killed with `kill -9`, the writes go on, it restarts,
/// and every acknowledged write is read back.
@Suite("multi-region cluster across processes", .serialized)
struct ClusterSplitTests {
  private func key(_ i: Int) -> Data { Data(String(format: "key-%05d", i).utf8) }
  private func value(_ i: Int, _ round: Int) -> Data {
    Data((String(format: "value-%05d-%d-", i, round) + String(repeating: "x", count: 80)).utf8)
  }

  /// Writes keys `range` (at `round`) through `kv`, 8 at a time.
  private func write(_ range: Range<Int>, round: Int, _ kv: ClusterRawClient) async throws {
    try await withThrowingTaskGroup(of: Void.self) { group in
      for start in stride(from: range.lowerBound, to: range.upperBound, by: 8) {
        group.addTask {
          for i in start..<min(start + 8, range.upperBound) {
            try await kv.put(key(i), value(i, round))
          }
        }
      }
      try await group.waitForAll()
    }
  }

  @Test("writes split the key space into regions of three replicas; kill -9 loses nothing")
  func splitsAndSurvivesAKill() async throws {
    let directory = try TemporaryDirectory("cluster-split")
    let schedulerPort = try FreePort.allocate()
    let scheduler = try await startScheduler(port: schedulerPort, directory: directory)
    defer { _ = scheduler.stop() }
    let ports = try (0..<3).map { _ in try FreePort.allocate() }
    let settings = [
      "split-region-check-tick-interval = 5", "region-max-size = \"24KiB\"",
      "region-split-size = \"12KiB\"", "region-split-check-diff = \"4KiB\"",
    ]
    func start(_ index: Int, run: Int) async throws -> ServerProcess {
      try await startClusterStore(
        name: "store-\(index)", port: ports[index], schedulerPort: schedulerPort,
        directory: directory, logName: "store-\(index)-run-\(run)", raftstoreSettings: settings)
    }
    var stores: [ServerProcess] = []
    defer { for store in stores { _ = store.stop() } }
    for index in 0..<3 { stores.append(try await start(index, run: 1)) }
    let endpoint = HostAndPort(host: "127.0.0.1", port: schedulerPort)
    let count = 600
    try await SchedulerClient.connect(to: endpoint) { scheduler in
      try await ClusterRawClient.connect(scheduler: endpoint) { kv in
        try await write(0..<count, round: 1, kv)
        try await eventually("at least 3 regions, each with 3 replicas", timeout: .seconds(60)) {
          let regions = try await scheduler.scanRegions(limit: 100)
          return regions.count >= 3 && regions.allSatisfy { $0.region.peers.count == 3 }
        }
        // The regions tile the key space.
        let regions = try await scheduler.scanRegions(limit: 100).map(\.region)
        #expect(regions.first?.startKey.isEmpty == true)
        #expect(regions.last?.endKey.isEmpty == true)
        for (a, b) in zip(regions, regions.dropFirst()) { #expect(a.endKey == b.startKey) }

        // kill -9 the store leading the first region; writes to every region go on.
        let first = try #require(try await scheduler.region(containing: Data()))
        let leaderStore = try #require(first.leader?.storeID)
        let registered = try await scheduler.stores()
        let victim = try #require(
          ports.firstIndex { port in
            registered.first { $0.id == leaderStore }?.address == "127.0.0.1:\(port)"
          })
        stores[victim].stop(signal: SIGKILL)
        try await write(0..<count, round: 2, kv)
        stores[victim] = try await start(victim, run: 2)
        try await write(0..<count / 2, round: 3, kv)

        // Every acknowledged write is there: the latest round of each key.
        let pairs = try await kv.scan(from: Data(), to: Data(), limit: UInt32(count * 2))
        #expect(pairs.count == count)
        for (i, pair) in pairs.enumerated() {
          #expect(pair.key == key(i))
          #expect(pair.value == value(i, i < count / 2 ? 3 : 2), "key \(i)")
        }
        for i in stride(from: 0, to: count, by: 37) {
          #expect(try await kv.get(key(i)) == value(i, i < count / 2 ? 3 : 2))
        }
      }
    }
  }
}
