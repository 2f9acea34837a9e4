import Client
import Engine
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import KVServer
import RaftStore
import Storage
import TestSupport
import Testing
import TinyKVGRPC
import TinyKVProto

@Suite("TinyKv service: Raft and Snapshot")
struct ReceivingServiceTests {
  /// Runs `body` with a client of `server`, started for it.
  func withClient(
    _ server: LoopbackServer,
    _ body: (Tinykvpb_TinyKv.Client<HTTP2ClientTransport.Posix>) async throws -> Void
  ) async throws {
    try await server.start()
    try await withCleanup {
      try await withGRPCClient(transport: server.address.plaintextTransport()) { client in
        try await body(Tinykvpb_TinyKv.Client(wrapping: client))
      }
    } cleanup: {
      await server.stop()
    }
  }

  @Test("a Snapshot stream whose first chunk is no MsgSnapshot is an invalid argument")
  func firstChunkMustBeSnapshot() async throws {
    let harness = try TransportHarness()
    try await withClient(harness.server) { stub in
      await #expect {
        _ = try await stub.snapshot(requestProducer: { writer in
          var chunk = RaftServerpb_SnapshotChunk()
          chunk.message = Messages.append(to: 2, index: 1)
          try await writer.write(chunk)
        })
      } throws: { error in
        (error as? RPCError)?.code == .invalidArgument
      }
    }
    #expect(harness.receiver.messages.isEmpty)
  }

  @Test("a Snapshot stream that ends before its data is complete is refused, not delivered")
  func endsEarly() async throws {
    let files = FakeSnapshotFiles()
    let message = Messages.snapshot(to: 2, term: 6, index: 42)
    let key = try #require(SnapshotKey(message: message))
    files.expect(key, size: 1000)
    let harness = try TransportHarness(receiverFiles: files)
    try await withClient(harness.server) { stub in
      await #expect {
        _ = try await stub.snapshot(requestProducer: { writer in
          var head = RaftServerpb_SnapshotChunk()
          head.message = message
          try await writer.write(head)
          var chunk = RaftServerpb_SnapshotChunk()
          chunk.data = Data(count: 400)
          try await writer.write(chunk)
        })
      } throws: { error in
        (error as? RPCError)?.code == .dataLoss
      }
    }
    #expect(files.received(key) == nil)
    #expect(harness.receiver.messages.isEmpty)
  }

  @Test("a standalone store answers Raft and Snapshot with UNIMPLEMENTED")
  func standalone() async throws {
    let directory = try TemporaryDirectory("standalone")
    let storage = try StandaloneStorage(path: directory.appending("kv"), options: .small())
    let server = LoopbackServer(
      port: try FreePort.allocate(), services: [TinyKvService(storage: storage)])
    try await withClient(server) { stub in
      await #expect {
        _ = try await stub.raft(requestProducer: { _ in })
      } throws: { error in
        (error as? RPCError)?.code == .unimplemented
      }
      await #expect {
        _ = try await stub.snapshot(requestProducer: { _ in })
      } throws: { error in
        (error as? RPCError)?.code == .unimplemented
      }
    }
  }
}
