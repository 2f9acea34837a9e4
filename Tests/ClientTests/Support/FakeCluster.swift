import Client
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Storage
import Synchronization
import TestSupport
import TinyKVProto
import Transaction

/// Three fake stores served on loopback ports, and a directory that knows them.
///
/// The key space starts as three regions, each with a peer on every store (peer id =
/// region id × 10 + store id), epoch version 1, region *i* led by store *i*:
/// region 1 = [ , "g"), region 2 = ["g", "n"), region 3 = ["n", ).
/// Changes made through `setLeader` and `split` reach the stores only: the directory stays
/// stale unless a test updates it, as a scheduler lags behind its stores.
final class FakeCluster: Sendable {
  static let ranges: [(id: UInt64, start: String, end: String)] = [
    (1, "", "g"), (2, "g", "n"), (3, "n", ""),
  ]

  let stores: [UInt64: FakeStore]
  let directory = FakeDirectory()
  /// The transactional commands every store runs, over one storage (the fake's replication).
  let transactions: TransactionHandler<StandaloneStorage>
  private let servers: Mutex<[UInt64: GRPCServer<HTTP2ServerTransport.Posix>]>
  private let serving: [UInt64: Task<Void, any Error>]

  private init(
    stores: [UInt64: FakeStore], transactions: TransactionHandler<StandaloneStorage>,
    servers: [UInt64: GRPCServer<HTTP2ServerTransport.Posix>],
    serving: [UInt64: Task<Void, any Error>]
  ) {
    self.stores = stores
    self.transactions = transactions
    self.servers = Mutex(servers)
    self.serving = serving
  }

  /// Starts the stores, runs `body`, stops the stores.
  static func run(_ body: (FakeCluster) async throws -> Void) async throws {
    var stores: [UInt64: FakeStore] = [:]
    var servers: [UInt64: GRPCServer<HTTP2ServerTransport.Posix>] = [:]
    var serving: [UInt64: Task<Void, any Error>] = [:]
    let folder = try TemporaryDirectory("fake-cluster")
    let storage = try StandaloneStorage(path: folder.path)
    defer {
      storage.close()
      withExtendedLifetime(folder) {}
    }
    let transactions = TransactionHandler(storage: storage)
    for id: UInt64 in 1...3 {
      let store = FakeStore(id: id)
      let server = GRPCServer(
        transport: .http2NIOPosix(
          address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
        services: [FakeStoreService(store: store, transactions: transactions)])
      stores[id] = store
      servers[id] = server
      serving[id] = Task { try await server.serve() }
    }
    let cluster = FakeCluster(
      stores: stores, transactions: transactions, servers: servers, serving: serving)
    defer { for task in serving.values { task.cancel() } }
    for (id, server) in servers {
      guard let port = try await server.listeningAddress?.ipv4?.port else {
        throw FakeClusterError("store \(id) did not start listening")
      }
      cluster.directory.state.withLock { $0.addresses[id] = "127.0.0.1:\(port)" }
    }
    for range in ranges {
      let region = makeRegion(range.id, from: range.start, to: range.end, version: 1)
      let leader = region.peers.first { $0.storeID == range.id }
      for store in stores.values {
        store.state.withLock { $0.replicas[range.id] = .init(region: region, leader: leader) }
      }
      cluster.directory.state.withLock {
        $0.regions.append(RegionLocation(region: region, leader: leader))
      }
    }
    try await body(cluster)
    for store in stores.values { store.releaseStalls() }
    for id in stores.keys { await cluster.stop(store: id) }
  }

  /// The store with `id` (1, 2 or 3).
  func store(_ id: UInt64) -> FakeStore {
    guard let store = stores[id] else { preconditionFailure("the fake cluster has stores 1-3") }
    return store
  }

  /// Stops store `id`'s server, as if its process died.
  func stop(store id: UInt64) async {
    let server = servers.withLock { $0.removeValue(forKey: id) }
    server?.beginGracefulShutdown()
    _ = try? await serving[id]?.value
  }

  /// Puts a relay in front of store `id`: the directory gives clients the relay's address, and
  /// the relay's `dropAll()` cuts their connections mid-call. Stop it before the cluster ends.
  func relay(store id: UInt64) async throws -> DroppingProxy {
    guard let address = directory.state.withLock({ $0.addresses[id] }) else {
      throw FakeClusterError("store \(id) has no address")
    }
    let relay = try await DroppingProxy.start(to: try HostAndPort(parsing: address))
    directory.state.withLock { $0.addresses[id] = "127.0.0.1:\(relay.port)" }
    return relay
  }

  /// Makes every store believe `leaderStore` leads region `regionID` (nil: nobody known).
  func setLeader(region regionID: UInt64, store leaderStore: UInt64?) {
    for store in stores.values {
      store.state.withLock { state in
        guard let region = state.replicas[regionID]?.region else { return }
        state.replicas[regionID]?.leader = region.peers.first { $0.storeID == leaderStore }
      }
    }
  }

  /// Splits region `regionID` at `key` on every store: the left part keeps the id, the right
  /// part becomes region `newID` led by `newLeader`; both get the next version.
  func split(region regionID: UInt64, at key: String, newID: UInt64, newLeader: UInt64) {
    split(region: regionID, at: Data(key.utf8), newID: newID, newLeader: newLeader)
  }

  /// As `split(region:at:newID:newLeader:)` at a key of any bytes.
  func split(region regionID: UInt64, at key: Data, newID: UInt64, newLeader: UInt64) {
    for store in stores.values {
      store.state.withLock { state in
        guard var left = state.replicas[regionID] else { return }
        let version = left.region.regionEpoch.version + 1
        let right = Self.makeRegion(newID, from: key, to: left.region.endKey, version: version)
        left.region.endKey = key
        left.region.regionEpoch.version = version
        state.replicas[regionID] = left
        state.replicas[newID] = .init(
          region: right, leader: right.peers.first { $0.storeID == newLeader })
      }
    }
  }

  /// A region over `[start, end)` with a peer on each of the three stores.
  static func makeRegion(_ id: UInt64, from start: String, to end: String, version: UInt64)
    -> Metapb_Region
  {
    makeRegion(id, from: Data(start.utf8), to: Data(end.utf8), version: version)
  }

  /// As `makeRegion(_:from:to:version:)` over keys of any bytes.
  static func makeRegion(_ id: UInt64, from start: Data, to end: Data, version: UInt64)
    -> Metapb_Region
  {
    var region = Metapb_Region()
    region.id = id
    region.startKey = start
    region.endKey = end
    region.regionEpoch.confVer = 1
    region.regionEpoch.version = version
    region.peers = (1...3).map { storeID in
      var peer = Metapb_Peer()
      peer.id = id * 10 + UInt64(storeID)
      peer.storeID = UInt64(storeID)
      return peer
    }
    return region
  }
}

/// The fake cluster could not start.
struct FakeClusterError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
