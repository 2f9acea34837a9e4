import Client
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Scheduler
import TestSupport
import Testing
import TinyKVProto

@Suite("Routing through the real scheduler")
struct SchedulerDirectoryTests {
  /// Serves a scheduler in-process, tells it about the fake cluster's stores and regions (as
  /// stores and region leaders would), and runs `body` with a client routing through it.
  func withSchedulerRouting(
    _ body: @Sendable (FakeCluster, ClusterRawClient) async throws -> Void
  ) async throws {
    let folder = try TemporaryDirectory("client-scheduler")
    var logger = Logger(label: "test")
    logger.logLevel = .critical
    let node = try SchedulerNode(dataDirectory: folder.appending("scheduler"), logger: logger)
    let server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
      services: [SchedulerService(node: node, name: "test", clientURLs: [])])
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { try await server.serve() }
      let port = try #require(try await server.listeningAddress?.ipv4?.port)
      try await FakeCluster.run { cluster in
        try await SchedulerClient.connect(to: HostAndPort(host: "127.0.0.1", port: port)) {
          scheduler in
          try await register(cluster, with: scheduler)
          try await ClusterRawClient.connect(directory: scheduler, options: .fast) { kv in
            try await body(cluster, kv)
          }
        }
      }
      server.beginGracefulShutdown()
    }
  }

  /// Registers the fake stores and reports the fake regions with their leaders.
  func register(_ cluster: FakeCluster, with scheduler: SchedulerClient) async throws {
    let regions = cluster.directory.state.withLock { $0.regions }
    let addresses = cluster.directory.state.withLock { $0.addresses }
    for id: UInt64 in 1...3 {
      var store = Metapb_Store()
      store.id = id
      store.address = addresses[id] ?? ""
      if id == 1 {
        try await scheduler.bootstrap(store: store)
      } else {
        try await scheduler.putStore(store)
      }
    }
    try await scheduler.regionHeartbeats(onResponse: { _ in }) { sender in
      for location in regions {
        var heartbeat = Schedulerpb_RegionHeartbeatRequest()
        heartbeat.region = location.region
        heartbeat.leader = location.leader ?? Metapb_Peer()
        sender.send(heartbeat)
      }
      try await eventually("the scheduler to know the three regions") {
        try await scheduler.scanRegions().count == 3
      }
    }
  }

  @Test("SchedulerClient is the directory: requests reach the leaders it names")
  func routesThroughScheduler() async throws {
    try await withSchedulerRouting { cluster, kv in
      for key in ["a", "h", "p"] { try await kv.put(bytes(key), bytes("v-" + key)) }
      #expect(try await kv.get(bytes("h")) == bytes("v-h"))
      let pairs = try await kv.scan(from: Data(), limit: 10)
      #expect(pairs.map(\.key) == ["a", "h", "p"].map(bytes))
      #expect(cluster.store(1).served.map(\.region) == [1, 1])
      #expect(cluster.store(2).served.map(\.region) == [2, 2, 2])
      #expect(cluster.store(3).served.map(\.region) == [3, 3])
    }
  }
}
