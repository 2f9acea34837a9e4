import Engine
import Foundation
import GRPCCore
import KVServer
import RaftStore
import RaftTransport
import Storage
import TestSupport
import TinyKVGRPC

/// A store server with a fake receiver (over a small standalone engine) and a transport
/// started with its own fake snapshot files, for the transport tests.
struct TransportHarness {
  let directory: TemporaryDirectory
  let receiver: FakeReceiver
  let server: LoopbackServer
  let reports = ReportLog()

  /// A harness whose server (not yet started) is store 2's, with `receiverFiles` as its
  /// snapshot files, refusing gRPC messages larger than `maxRequestBytes`; `batchRaft` false
  /// leaves `BatchRaft` out of its service (a store of an older version).
  init(
    receiverFiles: FakeSnapshotFiles = FakeSnapshotFiles(), maxRequestBytes: Int = 4 << 20,
    batchRaft: Bool = true
  ) throws {
    directory = try TemporaryDirectory("transport")
    receiver = FakeReceiver(snapshotFiles: receiverFiles)
    let storage = try StandaloneStorage(
      path: directory.appending("kv"), options: .small())
    let service = TinyKvService(storage: storage, receiver: receiver)
    server = LoopbackServer(
      port: try FreePort.allocate(),
      services: [batchRaft ? service : WithoutBatchRaft(service: service)],
      maxRequestBytes: maxRequestBytes)
  }

  /// Runs `body` with a transport started over `files`, finding store 2 at the server, and
  /// shuts the transport down after it.
  func withTransport(
    config: GRPCTransportConfig = .fast, files: FakeSnapshotFiles = FakeSnapshotFiles(),
    resolver: (any StoreResolver)? = nil,
    _ body: (GRPCTransport) async throws -> Void
  ) async throws {
    let transport = GRPCTransport(
      resolver: resolver ?? StaticStoreResolver([2: server.address]), config: config)
    transport.start(snapshotFiles: files, reports: reports.sink)
    try await withCleanup {
      try await body(transport)
    } cleanup: {
      await transport.shutdown()
      await server.stop()
    }
  }
}

extension GRPCTransportConfig {
  /// Reconnects within tens of milliseconds, so tests do not wait long.
  static var fast: GRPCTransportConfig {
    var config = GRPCTransportConfig()
    config.reconnectBackoff = .init(initial: .milliseconds(10), maximum: .milliseconds(100))
    return config
  }
}

/// A TinyKv service without `BatchRaft`, as a store of an older version serves it.
struct WithoutBatchRaft<S: Storage>: RegistrableRPCService {
  let service: TinyKvService<S>

  func registerMethods<Transport: ServerTransport>(with router: inout RPCRouter<Transport>) {
    service.registerMethods(with: &router)
    router.removeHandler(forMethod: Tinykvpb_TinyKv.Method.BatchRaft.descriptor)
  }
}
