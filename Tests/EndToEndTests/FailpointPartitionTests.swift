import Client
import Foundation
import TestSupport
import Testing

/// Failpoints in a running cluster, set over each store's status address (`PUT /fail/<name>`):
/// `transport::send` cuts the leader's store off from the others; the rest elect a leader and
/// serve, and after the cut is lifted the old leader catches up. The partition a chaos run uses.
@Suite("failpoints across processes", .serialized)
struct FailpointPartitionTests {
  private func key(_ i: Int) -> Data { Data(String(format: "key-%04d", i).utf8) }

  @Test("a partition through transport::send moves leadership; healing loses nothing")
  func partitionTheLeader() async throws {
    let directory = try TemporaryDirectory("failpoint-partition")
    let schedulerPort = try FreePort.allocate()
    let scheduler = try await startScheduler(port: schedulerPort, directory: directory)
    defer { _ = scheduler.stop() }
    let ports = try (0..<3).map { _ in try FreePort.allocate() }
    let statusPorts = try (0..<3).map { _ in try FreePort.allocate() }
    var stores: [ServerProcess] = []
    defer { for store in stores { _ = store.stop() } }
    for index in 0..<3 {
      stores.append(
        try await startClusterStore(
          name: "store-\(index)", port: ports[index], schedulerPort: schedulerPort,
          directory: directory, environment: ["TINYKV_FAILPOINTS": ""],
          statusPort: statusPorts[index]))
    }
    let endpoint = HostAndPort(host: "127.0.0.1", port: schedulerPort)
    try await SchedulerClient.connect(to: endpoint) { scheduler in
      try await eventually("the region has three replicas and a leader", timeout: .seconds(30)) {
        guard let location = try await scheduler.region(containing: Data()) else { return false }
        return location.region.peers.count == 3 && location.leader != nil
      }
      let registered = try await scheduler.stores()
      let storeIDs = try ports.map { port in
        try #require(registered.first { $0.address == "127.0.0.1:\(port)" }?.id)
      }
      try await ClusterRawClient.connect(scheduler: endpoint) { kv in
        for i in 0..<20 { try await kv.put(key(i), Data("before".utf8)) }
        let location = try #require(try await scheduler.region(containing: Data()))
        let leader = try #require(storeIDs.firstIndex(of: location.leader?.storeID ?? 0))
        let others = storeIDs.indices.filter { $0 != leader }
        // Cut both directions between the leader's store and the others.
        let cut = others.map { "\(storeIDs[$0])" }.joined(separator: ",")
        #expect(
          try await httpRequest(
            port: statusPorts[leader], "PUT", "/fail/transport::send", body: "return(\(cut))"
          ).status == 200)
        for index in others {
          #expect(
            try await httpRequest(
              port: statusPorts[index], "PUT", "/fail/transport::send",
              body: "return(\(storeIDs[leader]))"
            ).status == 200)
        }
        let listed = try await httpGet(port: statusPorts[leader], "/fail")
        #expect(listed.body.contains("transport::send=return(\(cut))"))
        // The majority elects a new leader; writes go on through the client.
        for i in 20..<40 { try await kv.put(key(i), Data("during".utf8)) }
        try await eventually("the scheduler hears of the new leader") {
          let moved = try await scheduler.region(containing: Data())?.leader?.storeID
          return moved != nil && moved != storeIDs[leader]
        }

        for index in storeIDs.indices {
          #expect(
            try await httpRequest(port: statusPorts[index], "DELETE", "/fail/transport::send")
              .status == 200)
        }
        for i in 40..<50 { try await kv.put(key(i), Data("after".utf8)) }
        let pairs = try await kv.scan(from: Data(), to: Data(), limit: 100)
        #expect(pairs.count == 50)
        for (i, pair) in pairs.enumerated() {
          #expect(pair.value == Data((i < 20 ? "before" : i < 40 ? "during" : "after").utf8))
        }
      }
    }
  }

  @Test(
    "a crash at a failpoint in the apply loop or the raft loop loses no acknowledged write",
    arguments: ["apply::before-write", "apply::after-write", "raftstore::after-persist"])
  func crashAtAFailpoint(point: String) async throws {
    let directory = try TemporaryDirectory("failpoint-crash")
    let schedulerPort = try FreePort.allocate()
    let scheduler = try await startScheduler(port: schedulerPort, directory: directory)
    defer { _ = scheduler.stop() }
    let port = try FreePort.allocate()
    // The 30th evaluation of the point kills the process, as a crash would.
    var store = try await startClusterStore(
      name: "store", port: port, schedulerPort: schedulerPort, directory: directory,
      logName: "store-crashing", environment: ["TINYKV_FAILPOINTS": "\(point)=29*off->panic"])
    defer { _ = store.stop() }
    let endpoint = HostAndPort(host: "127.0.0.1", port: schedulerPort)
    var options = RoutingOptions()
    options.timeout = .seconds(2)
    var acknowledged: [Int] = []
    try await ClusterRawClient.connect(scheduler: endpoint, options: options) { kv in
      // A put that fails while the store still runs was slow (a loaded machine), not cut short
      // by the crash: go on until the store has died.
      for i in 0..<200 where store.isRunning {
        do {
          try await kv.put(key(i), Data("v\(i)".utf8))
          acknowledged.append(i)
        } catch where !store.isRunning {
          break
        } catch {
          continue
        }
      }
    }
    #expect(!store.isRunning, "the failpoint never fired")
    #expect(!acknowledged.isEmpty)
    _ = store.stop()
    store = try await startClusterStore(
      name: "store", port: port, schedulerPort: schedulerPort, directory: directory,
      logName: "store-restarted")
    try await ClusterRawClient.connect(scheduler: endpoint) { kv in
      for i in acknowledged {
        let value = try await kv.get(key(i))
        #expect(value == Data("v\(i)".utf8), "key \(i)")
      }
    }
  }
}
