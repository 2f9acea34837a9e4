import Client
import Foundation
import TestSupport
import Testing

/// The real scheduler and three `tinykv-server` processes: region 1 grows to three replicas, and
/// clients keep writing and reading through `kill -9` of the leader's store and its restart.
@Suite("tinykv-server cluster: three replicas across processes", .serialized)
struct ClusterReplicationTests {
  /// Keys the clients share (few, so that writes and reads of one key overlap often).
  private static let keys = (0..<8).map { "key-\($0)" }

  @Test("kill -9 of the leader's store loses no acknowledged write; the store comes back")
  func leaderStoreKilledAndRestarted() async throws {
    let seed =
      ProcessInfo.processInfo.environment["CLUSTER_TEST_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 1...UInt64.max)
    print("leaderStoreKilledAndRestarted: seed \(seed) (CLUSTER_TEST_SEED=\(seed) repeats it)")
    let directory = try TemporaryDirectory("cluster-replication")
    let schedulerPort = try FreePort.allocate()
    let scheduler = try await startScheduler(port: schedulerPort, directory: directory)
    defer { _ = scheduler.stop() }
    let ports = try (0..<3).map { _ in try FreePort.allocate() }
    var stores: [ServerProcess] = []
    defer { for store in stores { _ = store.stop() } }
    var runs = [1, 1, 1]
    func start(_ index: Int) async throws -> ServerProcess {
      defer { runs[index] += 1 }
      return try await startClusterStore(
        name: "store-\(index)", port: ports[index], schedulerPort: schedulerPort,
        directory: directory, logName: "store-\(index)-run-\(runs[index])",
        // Past 40 entries the leader compacts its log even while a peer lags, so a store that
        // was down catches up through a snapshot.
        raftstoreSettings: ["raft-log-gc-tick-interval = 5", "raft-log-gc-count-limit = 40"])
    }
    for index in 0..<3 { stores.append(try await start(index)) }
    let endpoint = HostAndPort(host: "127.0.0.1", port: schedulerPort)
    try await SchedulerClient.connect(to: endpoint) { client in
      // An idle region grows to three replicas by itself.
      _ = try await waitForThreeReplicas(client, timeout: .seconds(30))
      let workload = Workload(seed: seed, keys: Self.keys)
      try await ClusterRawClient.connect(scheduler: endpoint) { kv in
        let clients = Task { await workload.run(kv, writers: 3, readers: 2) }
        var regionID: UInt64 = 0
        var storeIDs: [UInt64] = []
        do {
          regionID = try await waitForThreeReplicas(client, timeout: .seconds(30))
          // Store ids by process index, from the addresses they registered.
          let registered = try await client.stores()
          storeIDs = try ports.map { port in
            try #require(registered.first { $0.address == "127.0.0.1:\(port)" }?.id)
          }
          func leaderIndex() async throws -> Int {
            var index: Int?
            try await eventually("region \(regionID) has a leader", timeout: .seconds(15)) {
              let leader = try await client.region(id: regionID)?.leader?.storeID
              index = leader.flatMap { storeIDs.firstIndex(of: $0) }
              return index != nil
            }
            return try #require(index)
          }
          try await workload.waitForAcknowledged(40, "before the kill")

          // kill -9 the leader's store; the other two elect a leader and go on.
          let first = try await leaderIndex()
          print("killing store \(storeIDs[first]) (the leader's)")
          stores[first].stop(signal: SIGKILL)
          try await workload.waitForAcknowledged(40, "after the leader's store was killed")

          // The store restarts on its folder and catches up; it keeps its peer.
          let restartedAt = UInt32(Date().timeIntervalSince1970)
          stores[first] = try await start(first)
          try await eventually("store \(storeIDs[first]) heartbeats again") {
            try await client.store(id: storeIDs[first]).stats?.startTime ?? 0 >= restartedAt
          }
          let peers = try await client.region(id: regionID)?.region.peers ?? []
          #expect(peers.contains { $0.storeID == storeIDs[first] }, "peers: \(peers)")

          // Now a second store dies: every write and read from here needs the restarted
          // store's peer in the majority, so it must have caught up.
          var second = try await leaderIndex()
          if second == first { second = (first + 1) % 3 }
          print("killing store \(storeIDs[second])")
          stores[second].stop(signal: SIGKILL)
          try await workload.waitForAcknowledged(40, "with the restarted store in the majority")
          stores[second] = try await start(second)
          try await workload.waitForAcknowledged(20, "with all three stores back")
        } catch {
          workload.stop()
          await clients.value
          for store in stores { print("--- \(store.logPath)\n\(store.log().suffix(4000))") }
          throw error
        }
        workload.stop()
        await clients.value
        // A last read of every key, recorded like the others.
        for key in Self.keys { try await workload.read(key, kv, client: 99) }
        try checkStatus(schedulerPort: schedulerPort, storeIDs: storeIDs, regionID: regionID)
      }
      workload.check(seed: seed)
    }
  }

  /// Waits until region 1 (the only one) has three peers and no operator running; a timeout
  /// says what the scheduler sees.
  private func waitForThreeReplicas(_ client: SchedulerClient, timeout: Duration) async throws
    -> UInt64
  {
    var regionID: UInt64 = 0
    do {
      try await eventually("the region has three replicas", timeout: timeout) {
        guard let location = try? await client.region(containing: Data()),
          location.leader != nil, location.region.peers.count == 3
        else { return false }
        regionID = location.region.id
        return try await client.operator(regionID: regionID).status != .running
      }
    } catch let failure as TestFailure {
      let location = try? await client.region(containing: Data())
      let peers = location?.region.peers.map { "\($0.id)@\($0.storeID)" } ?? []
      let running = try? await client.operator(regionID: location?.region.id ?? 0)
      throw TestFailure(
        "\(failure); peers \(peers), operator "
          + "\(running.map { "\(String(decoding: $0.desc, as: UTF8.self)) (\($0.status))" } ?? "-")"
      )
    }
    return regionID
  }

  /// `tinykv-ctl cluster status --json`: every store up, the region on all three.
  private func checkStatus(schedulerPort: Int, storeIDs: [UInt64], regionID: UInt64) throws {
    let result = try runCtl([
      "cluster", "status", "--json", "--scheduler", "127.0.0.1:\(schedulerPort)",
    ])
    #expect(result.status == 0)
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(result.output.utf8)) as? [String: Any])
    let stores = try #require(object["stores"] as? [[String: Any]])
    #expect(stores.count == 3 && stores.allSatisfy { $0["state"] as? String == "up" }, "\(stores)")
    let regions = try #require(object["regions"] as? [[String: Any]])
    let region = try #require(regions.first { ($0["id"] as? Int).map(UInt64.init) == regionID })
    let peers = (region["peers"] as? [[String: Any]] ?? []).compactMap {
      ($0["store_id"] as? Int).map(UInt64.init)
    }
    #expect(Set(peers) == Set(storeIDs), "\(region)")
  }
}
