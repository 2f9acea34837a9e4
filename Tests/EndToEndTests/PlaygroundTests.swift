import Client
import Foundation
import TestSupport
import Testing

/// `tinykv-playground`: the scheduler and N stores with one command, stopped by Ctrl-C.
@Suite("tinykv-playground", .serialized)
struct PlaygroundTests {
  @Test("starts a cluster that serves, shows progress, and stops everything on SIGINT")
  func startServeStop() async throws {
    let directory = try TemporaryDirectory("playground")
    let schedulerPort = try FreePort.allocate()
    let storePort = try FreePort.allocate()
    let statusPort = try FreePort.allocate()
    let playground = try ServerProcess(
      product: "tinykv-playground",
      arguments: [
        "--stores", "2", "--dir", directory.appending("cluster"), "--scheduler-port",
        "\(schedulerPort)", "--store-port", "\(storePort)", "--status-port", "\(statusPort)",
        "--ready-timeout", "5", "--loglevel", "warning", "--sql-port", "0",
      ],
      port: schedulerPort, logPath: directory.appending("playground.log"))
    try await eventually("the playground says the cluster is ready", timeout: .seconds(60)) {
      playground.log().contains("cluster ready")
    }
    let log = playground.log()
    #expect(log.contains("stores joined: 2/2"))
    #expect(log.contains("first region"))
    #expect(log.contains("tinykv-ctl cluster status --scheduler 127.0.0.1:\(schedulerPort)"))
    try await ClusterRawClient.connect(
      scheduler: HostAndPort(host: "127.0.0.1", port: schedulerPort)
    ) { kv in
      try await kv.put(Data("hello".utf8), Data("world".utf8))
      #expect(try await kv.get(Data("hello".utf8)) == Data("world".utf8))
    }
    #expect(playground.stop(signal: SIGINT) == 0)
    let after = playground.log()
    #expect(after.contains("store 1 stopped") && after.contains("scheduler stopped"))
    #expect(!FreePort.isListening(schedulerPort))
    #expect(!FreePort.isListening(storePort))
  }
}
