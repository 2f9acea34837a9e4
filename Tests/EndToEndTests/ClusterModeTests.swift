import Client
import Foundation
import TestSupport
import Testing

/// `tinykv-server` in cluster mode beside the real scheduler, used through the routing client.
@Suite("tinykv-server cluster mode", .serialized)
struct ClusterModeTests {
  private func key(_ i: Int) -> Data { Data(String(format: "key-%04d", i).utf8) }

  @Test("the first store bootstraps the cluster; writes survive kill -9 and restart")
  func bootstrapWriteKillRestart() async throws {
    let directory = try TemporaryDirectory("cluster-mode")
    let schedulerPort = try FreePort.allocate()
    let scheduler = try await startScheduler(port: schedulerPort, directory: directory)
    defer { _ = scheduler.stop() }
    let storePort = try FreePort.allocate()
    var store = try await startClusterStore(
      name: "store-1", port: storePort, schedulerPort: schedulerPort, directory: directory)
    let endpoint = HostAndPort(host: "127.0.0.1", port: schedulerPort)
    try await ClusterRawClient.connect(scheduler: endpoint) { kv in
      for i in 0..<100 { try await kv.put(key(i), Data("v\(i)".utf8)) }
      #expect(try await kv.get(key(42)) == Data("v42".utf8))
      try await kv.delete(key(7))
    }
    store.stop(signal: SIGKILL)
    store = try await startClusterStore(
      name: "store-1", port: storePort, schedulerPort: schedulerPort, directory: directory)
    defer { _ = store.stop() }
    try await ClusterRawClient.connect(scheduler: endpoint) { kv in
      // The restarted store elects itself again; the client retries until it leads.
      #expect(try await kv.get(key(99)) == Data("v99".utf8))
      #expect(try await kv.get(key(7)) == nil)
      let pairs = try await kv.scan(from: Data(), to: Data(), limit: 1000)
      #expect(pairs.count == 99)
      #expect(pairs.map(\.key) == (0..<100).filter { $0 != 7 }.map(key))
    }
    #expect(store.log().contains("store registered"))
  }

  @Test("a second store joins without a region; SIGTERM stops both cleanly")
  func secondStoreJoins() async throws {
    let directory = try TemporaryDirectory("cluster-mode")
    let schedulerPort = try FreePort.allocate()
    let scheduler = try await startScheduler(port: schedulerPort, directory: directory)
    defer { _ = scheduler.stop() }
    let first = try await startClusterStore(
      name: "store-1", port: try FreePort.allocate(), schedulerPort: schedulerPort,
      directory: directory)
    let second = try await startClusterStore(
      name: "store-2", port: try FreePort.allocate(), schedulerPort: schedulerPort,
      directory: directory)
    try await SchedulerClient.connect(to: HostAndPort(host: "127.0.0.1", port: schedulerPort)) {
      client in
      try await eventually("both stores registered, one region with a leader") {
        let stores = try await client.stores()
        let region = try? await client.region(containing: Data())
        return stores.count == 2 && (region ?? nil)?.leader != nil
      }
    }
    #expect(second.log().contains("store registered"))
    #expect(!second.log().contains("bootstrapped the cluster"))
    #expect(first.log().contains("bootstrapped the cluster"))
    #expect(first.stop() == 0)
    #expect(second.stop() == 0)
  }
}
