import Engine
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import RaftStore
import Storage
import Synchronization
import TestSupport
import TiKVProto
import TiKVProtocol
import TinyKVProto

/// Three raft stores in this process (connected by a `LocalTransport`) sharing region 1, whose
/// peer on store `i` has id `i`; each serves `tikvpb.Tikv` over its `RaftStorage` on a loopback
/// port.
final class ReplicatedTikv: Sendable {
  static let regionID: UInt64 = 1
  let storeIDs: [UInt64] = [1, 2, 3]
  let stores: [UInt64: RaftStore]
  let ports: [UInt64: Int]

  private init(stores: [UInt64: RaftStore], ports: [UInt64: Int]) {
    self.stores = stores
    self.ports = ports
  }

  /// Quick ticks: elections within 300-600 ms.
  private static var config: RaftStoreConfig {
    var config = RaftStoreConfig()
    config.tickInterval = .milliseconds(30)
    config.electionTick = 10
    config.heartbeatTick = 2
    return config
  }

  /// Starts the stores and their services, runs `body`, stops everything.
  static func run(_ body: (ReplicatedTikv) async throws -> Void) async throws {
    let directory = try TemporaryDirectory("tikv-replicated")
    let transport = LocalTransport()
    let splitIDs = CountingSplitIDs()
    let region = Metapb_Region.spanning(stores: [1, 2, 3], id: regionID)
    var stores: [UInt64: RaftStore] = [:]
    var servers: [GRPCServer<HTTP2ServerTransport.Posix>] = []
    var serving: [Task<Void, any Error>] = []
    var ports: [UInt64: Int] = [:]
    defer {
      for server in servers { server.beginGracefulShutdown() }
      for task in serving { task.cancel() }
      for store in stores.values {
        store.stop()
        store.raftDB.close()
        store.kvDB.close()
      }
    }
    for id: UInt64 in 1...3 {
      let raftDB = try Database(
        path: directory.appending("store-\(id)/raft"), options: .small([.default]))
      let kvDB = try Database(path: directory.appending("store-\(id)/kv"), options: .small())
      try RaftStore.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
      let store = RaftStore(
        storeID: id, raftDB: raftDB, kvDB: kvDB,
        snapshots: try SnapshotManager(directory: directory.appending("store-\(id)/snap")),
        transport: transport, config: config)
      transport.add(store)
      try store.start(splitIDs: splitIDs)
      stores[id] = store
      let server = GRPCServer(
        transport: .http2NIOPosix(
          address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
        services: [TikvService(storage: RaftStorage(store: store, timeout: .seconds(5)))])
      servers.append(server)
      serving.append(Task { try await server.serve() })
      guard let port = try await server.listeningAddress?.ipv4?.port else {
        throw TestFailure("store \(id)'s service did not start listening")
      }
      ports[id] = port
    }
    try await body(ReplicatedTikv(stores: stores, ports: ports))
  }

  /// Runs `body` with a client of store `storeID`'s service.
  func withClient<Result: Sendable>(
    _ storeID: UInt64, _ body: (TikvClient) async throws -> Result
  ) async throws -> Result {
    try await TikvLoopback.withClient(port: ports[storeID]!, body)
  }

  /// A context addressed to `regionID`'s peer on `storeID` (peer ids of region 1 are store
  /// ids), at `epoch` if given.
  func context(
    _ storeID: UInt64, region regionID: UInt64 = regionID, peer: UInt64? = nil,
    epoch: TiKVMetapb_RegionEpoch? = nil
  ) -> TiKVKvrpcpb_Context {
    var context = TiKVKvrpcpb_Context()
    context.regionID = regionID
    context.peer.id = peer ?? storeID
    context.peer.storeID = storeID
    if let epoch { context.regionEpoch = epoch }
    return context
  }

  /// The region error of a RawGet of `key` sent to store `storeID` with `context`.
  func rawGetError(
    _ storeID: UInt64, _ context: TiKVKvrpcpb_Context, key: Data = Data("probe".utf8)
  ) async throws -> TiKVErrorpb_Error? {
    var request = TiKVKvrpcpb_RawGetRequest()
    request.context = context
    request.key = key
    let response = try await withClient(storeID) { try await $0.rawGet(request) }
    return response.hasRegionError ? response.regionError : nil
  }

  /// The store whose peer leads region 1: the one that serves a read.
  func leader() async throws -> UInt64 {
    var found: UInt64?
    try await eventually("a leader of region 1") {
      for id in storeIDs where try await rawGetError(id, context(id)) == nil {
        found = id
        return true
      }
      return false
    }
    return found!
  }
}

/// Split ids from a counter (the scheduler's job in a real cluster).
final class CountingSplitIDs: SplitIDAllocator {
  private let next = Mutex<UInt64>(1000)

  func splitIDs(for region: Metapb_Region) async throws -> SplitIDs {
    next.withLock { next in
      let regionID = next
      next += UInt64(region.peers.count) + 1
      return SplitIDs(
        regionID: regionID, peerIDs: (1...UInt64(region.peers.count)).map { regionID + $0 })
    }
  }
}
