import Client
import Engine
import Foundation
import KVServer
import RaftStore
import RaftTransport
import TestSupport
import TinyKVProto

/// Three (or `count`) `RaftStore`s in one process, each with real engines in a temporary
/// folder, serving `TinyKv` on a loopback port and reaching the others through a
/// `GRPCTransport`. They share region 1 (the whole key space), whose peer on store `i` has id
/// `i`.
final class GRPCCluster {
  static let regionID: UInt64 = 1

  /// One store and what serves and connects it.
  struct Node {
    let store: RaftStore
    let server: LoopbackServer
    let transport: GRPCTransport
  }

  let directory: TemporaryDirectory
  let storeIDs: [UInt64]
  let nodes: [UInt64: Node]

  /// Quick ticks for tests: elections within 300-600 ms, slow enough that a loaded machine
  /// (the whole suite runs in parallel on two cores) does not depose healthy leaders.
  static var storeConfig: RaftStoreConfig {
    var config = RaftStoreConfig()
    config.tickInterval = .milliseconds(30)
    config.electionTick = 10
    config.heartbeatTick = 2
    return config
  }

  /// Bootstraps, starts and serves `count` stores.
  init(count: Int = 3) async throws {
    directory = try TemporaryDirectory("grpc-cluster")
    storeIDs = (1...UInt64(count)).map { $0 }
    var addresses: [UInt64: HostAndPort] = [:]
    for id in storeIDs {
      addresses[id] = HostAndPort(host: "127.0.0.1", port: try FreePort.allocate())
    }
    let region = Metapb_Region.spanning(stores: storeIDs, id: Self.regionID)
    let resolver = StaticStoreResolver(addresses)
    var nodes: [UInt64: Node] = [:]
    for id in storeIDs {
      let raftDB = try Database(
        path: directory.appending("store-\(id)/raft"), options: .small([.default]))
      let kvDB = try Database(path: directory.appending("store-\(id)/kv"), options: .small())
      try RaftStore.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
      var transportConfig = GRPCTransportConfig()
      transportConfig.reconnectBackoff = .init(
        initial: .milliseconds(10), maximum: .milliseconds(200))
      let transport = GRPCTransport(resolver: resolver, config: transportConfig)
      let snapshots = try SnapshotManager(directory: directory.appending("store-\(id)/snap"))
      let store = RaftStore(
        storeID: id, raftDB: raftDB, kvDB: kvDB, snapshots: snapshots, transport: transport,
        config: Self.storeConfig)
      transport.start(snapshotFiles: snapshots, reports: { store.report($0) })
      try store.start()
      let server = LoopbackServer(
        port: addresses[id]!.port,
        services: [TinyKvService(storage: RaftStorage(store: store), receiver: store)])
      try await server.start()
      nodes[id] = Node(store: store, server: server, transport: transport)
    }
    self.nodes = nodes
  }

  /// Stops every server, transport and store, and closes the engines.
  func shutdown() async {
    for node in nodes.values {
      await node.server.stop()
      await node.transport.shutdown()
      node.store.stop()
      node.store.raftDB.close()
      node.store.kvDB.close()
    }
  }

  /// The context of requests for region 1 through store `storeID`'s peer.
  func context(_ storeID: UInt64) -> Kvrpcpb_Context {
    var context = Kvrpcpb_Context()
    context.regionID = Self.regionID
    context.peer.id = storeID
    context.peer.storeID = storeID
    return context
  }

  /// Runs `body` with a raw client of store `storeID`, addressed to its peer.
  func withRawClient<Result: Sendable>(
    _ storeID: UInt64, _ body: (RawKVClient) async throws -> Result
  ) async throws -> Result {
    try await RawKVClient.connect(
      to: nodes[storeID]!.server.address, context: context(storeID), body)
  }

  /// The store whose peer leads region 1: the one that answers a read over gRPC.
  func leader(within deadline: Duration = .seconds(10)) async throws -> UInt64 {
    let end = ContinuousClock.now + deadline
    while ContinuousClock.now < end {
      for id in storeIDs {
        let answered = try? await withRawClient(id) { client in
          _ = try await client.get(Data("leader-probe".utf8))
          return true
        }
        if answered == true { return id }
      }
      try await Task.sleep(for: .milliseconds(20))
    }
    throw TestFailure("no leader within \(deadline)")
  }

  /// How many keys `cf` of store `storeID`'s kv engine holds, read directly.
  func keyCount(_ storeID: UInt64, _ cf: ColumnFamily) throws -> Int {
    let iterator = try nodes[storeID]!.store.kvDB.iterator(cf)
    var count = 0
    iterator.seekToFirst()
    while iterator.isValid {
      count += 1
      iterator.next()
    }
    try iterator.checkStatus()
    return count
  }

  /// `key` in store `storeID`'s kv engine (default column family), read directly.
  func local(_ storeID: UInt64, _ key: String) throws -> String? {
    try nodes[storeID]!.store.kvDB.get(.default, Data(key.utf8)).map {
      String(decoding: $0, as: UTF8.self)
    }
  }
}
