import Client
import GRPCCore
import GRPCNIOTransportHTTP2
import RaftTransport
import Scheduler
import TestSupport
import Testing
import TinyKVProto

@Suite("Scheduler store resolver against the scheduler service")
struct SchedulerStoreResolverTests {
  @Test("stores registered with the scheduler resolve; an unknown store is an error")
  func resolvesRegisteredStores() async throws {
    let directory = try TemporaryDirectory("resolver-scheduler")
    let node = try SchedulerNode(dataDirectory: directory.appending("scheduler"))
    let server = LoopbackServer(
      port: try FreePort.allocate(),
      services: [SchedulerService(node: node, name: "test", clientURLs: [])])
    try await server.start()
    try await withCleanup {
      try await SchedulerClient.connect(to: server.address) { scheduler in
        var first = Metapb_Store()
        first.id = 1
        first.address = "127.0.0.1:20161"
        try await scheduler.bootstrap(store: first)
        var second = Metapb_Store()
        second.id = 2
        second.address = "localhost:20162"
        try await scheduler.putStore(second)
        let resolver = SchedulerStoreResolver(scheduler: scheduler)
        #expect(try await resolver.address(of: 1) == HostAndPort(host: "127.0.0.1", port: 20161))
        #expect(try await resolver.address(of: 2) == HostAndPort(host: "127.0.0.1", port: 20162))
        await #expect(throws: (any Error).self) { _ = try await resolver.address(of: 9) }
      }
    } cleanup: {
      await server.stop()
    }
  }
}
