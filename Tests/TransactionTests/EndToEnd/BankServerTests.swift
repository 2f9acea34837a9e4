import Client
import Foundation
import TestSupport
import Testing
import TinyKVProto

/// The bank test through the real `tinykv-server` binary and gRPC.
@Suite(.serialized) struct BankServerTests {
  /// A standalone server in a temporary folder, stopped by `stop()`.
  struct Server {
    let dir: TemporaryDirectory
    let process: ServerProcess
    let endpoint: HostAndPort

    init() async throws {
      dir = try TemporaryDirectory("txn-e2e")
      let port = try FreePort.allocate()
      process = try ServerProcess(
        product: "tinykv-server",
        arguments: [
          "--standalone", "--addr", "127.0.0.1:\(port)", "--path", dir.appending("data"),
          "--status-addr", "",
        ],
        port: port, logPath: dir.appending("server.log"))
      endpoint = HostAndPort(host: "127.0.0.1", port: port)
      try await process.waitUntilListening()
    }

    func stop() { process.stop() }
  }

  @Test func concurrentTransfersThroughTheServerKeepTheTotal() async throws {
    let server = try await Server()
    defer { server.stop() }
    var options = BankWorkload<GRPCTxnRPC, HybridClock>.Options()
    options.seed = bankSeed("bank over gRPC")
    options.workers = 8
    options.transfersPerWorker = 25
    let seed = options.seed
    let report = try await GRPCTxnRPC.connect(to: server.endpoint) { rpc in
      let workload = BankWorkload(rpc: rpc, oracle: HybridClock(), options: options)
      return try await workload.run()
    }
    let expected = options.accounts * options.initialBalance
    #expect(report.badChecks == 0, "seed \(seed) (rerun with BANK_SEED=\(seed)): \(report)")
    #expect(report.finalTotal == expected, "seed \(seed): \(report)")
    #expect(report.checks > 0, "seed \(seed): \(report)")
    #expect(report.committed > 0, "seed \(seed): \(report)")
  }

  @Test func aLockedKeyIsReportedThroughTheServer() async throws {
    let server = try await Server()
    defer { server.stop() }
    try await GRPCTxnRPC.connect(to: server.endpoint) { rpc in
      let clock = HybridClock()
      let client = TxnClient(rpc: rpc, oracle: clock)
      let writer = try await client.begin()
      writer.put(Data("k".utf8), Data("v1".utf8))
      try await writer.prewrite()

      var get = Kvrpcpb_GetRequest()
      get.key = Data("k".utf8)
      get.version = clock.timestamp()
      let locked = try await rpc.get(get)
      #expect(locked.error.locked.primaryLock == Data("k".utf8))
      #expect(locked.error.locked.lockVersion == writer.startTS)

      let commitTS = try await writer.commitPrewritten()
      #expect(commitTS > get.version)
      #expect(try await rpc.get(get).notFound, "committed after the read's timestamp")
      get.version = clock.timestamp()
      #expect(try await rpc.get(get).value == Data("v1".utf8))
    }
  }
}
