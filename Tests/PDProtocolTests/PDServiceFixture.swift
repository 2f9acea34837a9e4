import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import PDProtocol
import Scheduler
import TiKVGRPC
import TiKVProto
import TinyKVProto

/// The client the tests use: grpc-swift's generated `pdpb.PD` client over loopback.
typealias PDClient = TiKVPdpb_PD.Client<HTTP2ClientTransport.Posix>

/// What PD tells clients to dial in these tests.
let advertisedURL = "http://127.0.0.1:2379"

/// Runs `body` against a real scheduler in a temporary folder, served with `PDService` on a free
/// loopback port.
func withPDService(
  _ body: @Sendable (PDClient, SchedulerNode) async throws -> Void
) async throws {
  let directory = FileManager.default.temporaryDirectory
    .appendingPathComponent("pd-protocol-tests-\(UUID().uuidString)").path
  defer { try? FileManager.default.removeItem(atPath: directory) }
  var logger = Logger(label: "test")
  logger.logLevel = .critical
  let node = try SchedulerNode(dataDirectory: directory, logger: logger)
  defer { node.close() }
  let member = SchedulerMember(name: "pd-test", clientURLs: [advertisedURL])
  let server = GRPCServer(
    transport: .http2NIOPosix(
      address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
    services: [PDService(node: node, member: member)])
  try await withThrowingDiscardingTaskGroup { group in
    group.addTask { try await server.serve() }
    defer { server.beginGracefulShutdown() }
    guard let port = try await server.listeningAddress?.ipv4?.port else {
      throw RPCError(code: .unavailable, message: "the PD service is not listening")
    }
    try await withGRPCClient(
      transport: .http2NIOPosix(
        target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
    ) { client in
      try await body(PDClient(wrapping: client), node)
    }
  }
}

/// A request header naming `clusterID`.
func header(_ clusterID: UInt64) -> TiKVPdpb_RequestHeader {
  var header = TiKVPdpb_RequestHeader()
  header.clusterID = clusterID
  return header
}

/// A TinyKV store with id `id`, at `127.0.0.1:2016<id>`.
func store(_ id: UInt64) -> Metapb_Store {
  var store = Metapb_Store()
  store.id = id
  store.address = "127.0.0.1:\(20160 + id)"
  return store
}

/// A region `[start, end)` on stores 1...3 (peer ids `id*10 + store`), led by the first peer,
/// the third pending.
func region(_ id: UInt64, _ start: String, _ end: String) -> RegionInfo {
  var meta = Metapb_Region()
  meta.id = id
  meta.startKey = Data(start.utf8)
  meta.endKey = Data(end.utf8)
  meta.regionEpoch.version = 2
  meta.regionEpoch.confVer = 3
  meta.peers = (1...3).map { (storeID: UInt64) in
    var peer = Metapb_Peer()
    peer.id = id * 10 + storeID
    peer.storeID = storeID
    return peer
  }
  return RegionInfo(meta: meta, leader: meta.peers[0], pendingPeers: [meta.peers[2]])
}

/// Bootstraps `node` with stores 1...3 and the regions `["", "m")` (id 10) and `["m", "")`
/// (id 20), as stores registering and heartbeating would.
func bootstrapWithTwoRegions(_ node: SchedulerNode) throws {
  try node.cluster.bootstrap(store: store(1))
  try node.cluster.putStore(store(2))
  try node.cluster.putStore(store(3))
  _ = try node.cluster.regionHeartbeat(region(10, "", "m"))
  _ = try node.cluster.regionHeartbeat(region(20, "m", ""))
}
