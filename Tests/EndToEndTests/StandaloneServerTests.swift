import Client
import Coprocessor
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import TestSupport
import Testing
import TinyKVGRPC
import TinyKVProto

/// The real `tinykv-server` binary, started on a free loopback port, driven through gRPC.
@Suite("tinykv-server standalone", .serialized)
struct StandaloneServerTests {
  /// A running standalone server over its own data folder.
  final class Server {
    let dir: TemporaryDirectory
    let port: Int
    let statusPort: Int
    var process: ServerProcess

    init() async throws {
      dir = try TemporaryDirectory("e2e")
      port = try FreePort.allocate()
      statusPort = try FreePort.allocate()
      process = try Self.start(dir: dir, port: port, statusPort: statusPort, run: 0)
      try await process.waitUntilListening()
    }

    static func start(
      dir: TemporaryDirectory, port: Int, statusPort: Int, run: Int
    ) throws -> ServerProcess {
      try ServerProcess(
        product: "tinykv-server",
        arguments: [
          "--standalone", "--addr", "127.0.0.1:\(port)", "--path", dir.appending("data"),
          "--loglevel", "debug", "--status-addr", "127.0.0.1:\(statusPort)",
        ],
        port: port, logPath: dir.appending("server-\(run).log"))
    }

    var endpoint: HostAndPort { HostAndPort(host: "127.0.0.1", port: port) }

    func client<T: Sendable>(_ body: (RawKVClient) async throws -> T) async throws -> T {
      try await RawKVClient.connect(to: endpoint, body)
    }

    /// Kills the process with `signal` and starts it again on the same folder and port.
    func restart(signal: Int32, run: Int) async throws {
      process.stop(signal: signal)
      process = try Self.start(dir: dir, port: port, statusPort: statusPort, run: run)
      try await process.waitUntilListening()
    }

    deinit { process.stop(signal: SIGKILL) }
  }

  private func k(_ byte: UInt8) -> Data { Data([byte]) }

  @Test("Project 1 scenarios through gRPC: get, put, delete, scan")
  func project1() async throws {
    let server = try await Server()
    try await server.client { client in
      for i: UInt8 in 1...4 { try await client.put(k(i), Data([233, i])) }
      #expect(try await client.get(k(1)) == Data([233, 1]))
      #expect(try await client.get(k(99)) == nil)
      try await client.put(k(1), Data([7]))
      #expect(try await client.get(k(1)) == Data([7]))
      try await client.delete(k(2))
      #expect(try await client.get(k(2)) == nil)
      let pairs = try await client.scan(from: k(1), limit: 10)
      #expect(pairs.map(\.key) == [k(1), k(3), k(4)])
      #expect(pairs.map(\.value) == [Data([7]), Data([233, 3]), Data([233, 4])])
      try await client.put(k(5), Data([233, 5]))
      #expect(try await client.scan(from: k(4), limit: 10).map(\.key) == [k(4), k(5)])
      #expect(try await client.scan(from: k(1), limit: 2).map(\.key) == [k(1), k(3)])
      try await client.put(k(1), Data([1]), cf: "lock")
      #expect(try await client.get(k(1), cf: "lock") == Data([1]))
      #expect(try await client.scan(from: Data(), limit: 10, cf: "write").isEmpty)
    }
  }

  @Test("paging through a scan while deleting sees every surviving key once, in order")
  func iterateWhileDeleting() async throws {
    let server = try await Server()
    try await server.client { client in
      for i: UInt8 in 0..<40 { try await client.put(k(i), k(i)) }
      var seen: [UInt8] = []
      var next = Data()
      while true {
        let page = try await client.scan(from: next, limit: 5)
        guard let last = page.last else { break }
        seen += page.map { $0.key[0] }
        // Delete the key just after the page, and one already seen.
        try await client.delete(k(last.key[0] &+ 1))
        try await client.delete(page[0].key)
        next = last.key + Data([0])
      }
      #expect(seen == seen.sorted() && Set(seen).count == seen.count)
      #expect(seen.count > 20 && seen.count < 40)
      #expect(seen.first == 0)
    }
  }

  @Test("acknowledged writes survive kill -9 and restart")
  func survivesKill() async throws {
    let server = try await Server()
    let count = 200
    try await server.client { client in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for i in 0..<count {
          group.addTask { try await client.put(Data("key-\(i)".utf8), Data("value-\(i)".utf8)) }
        }
        try await group.waitForAll()
      }
    }
    try await server.restart(signal: SIGKILL, run: 1)
    try await server.client { client in
      let pairs = try await client.scan(from: Data("key-".utf8), limit: UInt32(count + 10))
      #expect(pairs.count == count)
      for i in 0..<count {
        #expect(try await client.get(Data("key-\(i)".utf8)) == Data("value-\(i)".utf8))
      }
    }
  }

  @Test("SIGTERM shuts down cleanly (exit 0) and data is there after restart")
  func gracefulShutdown() async throws {
    let server = try await Server()
    try await server.client { try await $0.put(Data("k".utf8), Data("v".utf8)) }
    #expect(server.process.stop(signal: SIGTERM) == 0)
    #expect(server.process.log().contains("stopped"))
    try await server.restart(signal: SIGTERM, run: 1)
    #expect(try await server.client { try await $0.get(Data("k".utf8)) } == Data("v".utf8))
  }

  @Test("bad input gets an error message and the server stays up")
  func badInput() async throws {
    let server = try await Server()
    try await server.client { client in
      await #expect(throws: KVClientError.self) { try await client.put(k(1), k(1), cf: "nope") }
      await #expect(throws: KVClientError.self) { try await client.put(Data(), k(1)) }
      try await client.put(k(1), k(2))
      #expect(try await client.get(k(1)) == k(2))
    }
  }

  @Test("a request over the size limit is refused and the server stays up")
  func oversizedRequest() async throws {
    let server = try await Server()
    try await server.client { client in
      await #expect(throws: RPCError.self) {
        try await client.put(k(1), Data(count: 17 << 20))
      }
      try await client.put(k(1), Data(count: 1 << 20))
      #expect(try await client.get(k(1))?.count == 1 << 20)
    }
  }

  @Test("a standalone store answers Raft messages with UNIMPLEMENTED and a message")
  func unimplemented() async throws {
    let server = try await Server()
    let transport = try HTTP2ClientTransport.Posix(
      target: .ipv4(address: "127.0.0.1", port: server.port), transportSecurity: .plaintext)
    try await withGRPCClient(transport: transport) { grpc in
      let stub = Tinykvpb_TinyKv.Client(wrapping: grpc)
      let error = await #expect(throws: RPCError.self) {
        _ = try await stub.raft(
          request: StreamingClientRequest(of: RaftServerpb_RaftMessage.self) { _ in })
      }
      #expect(error?.code == .unimplemented)
      #expect(error?.message.isEmpty == false)
    }
  }

  @Test("a standalone store serves push-down requests over transactional rows")
  func pushDown() async throws {
    let server = try await Server()
    try await GRPCTxnRPC.connect(to: HostAndPort(host: "127.0.0.1", port: server.port)) { rpc in
      let client = TxnClient(rpc: rpc, oracle: HybridClock())
      try await client.run { txn in
        for handle in Int64(1)...10 {
          txn.put(Data(TableKeys.record(table: 3, handle: handle)), Data(try EncodedRow.encode([])))
        }
      }
      let dag = countRequest(table: 3)
      let range = (
        start: Data(TableKeys.recordPrefix(table: 3)), end: Data(TableKeys.recordPrefix(table: 4))
      )
      let answers = try await client.coprocessor(
        type: 103, data: try dag.serializedData(), ranges: [range],
        startTS: client.oracle.timestamp())
      #expect(answers.count == 1)
      #expect(try count(in: answers[0]) == 10)
      // A request the store cannot run: refused with its reason, and the store serves on.
      await #expect(throws: TxnClientError.self) {
        try await client.coprocessor(
          type: 7, data: Data(), ranges: [range], startTS: client.oracle.timestamp())
      }
      #expect(
        try await client.coprocessor(
          type: 103, data: try dag.serializedData(), ranges: [range],
          startTS: client.oracle.timestamp()
        ).count == 1)
    }
  }

  @Test("a taken port or an unusable path exits non-zero with a clear message")
  func startupFailures() async throws {
    let server = try await Server()
    let dir = try TemporaryDirectory("e2e-fail")
    let taken = try ServerProcess(
      product: "tinykv-server",
      arguments: [
        "--standalone", "--addr", "127.0.0.1:\(server.port)", "--path", dir.appending("d"),
        "--status-addr", "",
      ],
      port: server.port, logPath: dir.appending("taken.log"))
    #expect(taken.waitForExit() != 0)
    #expect(taken.log().contains("Address already in use"))

    let file = dir.appending("file")
    #expect(FileManager.default.createFile(atPath: file, contents: Data()))
    let port = try FreePort.allocate()
    let unusable = try ServerProcess(
      product: "tinykv-server",
      arguments: [
        "--standalone", "--addr", "127.0.0.1:\(port)", "--path", file + "/data", "--status-addr",
        "",
      ],
      port: port, logPath: dir.appending("path.log"))
    #expect(unusable.waitForExit() != 0)
    #expect(unusable.log().contains("cannot open the data folder"))
  }
}
