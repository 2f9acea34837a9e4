import ArgumentParser
import Client
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Scheduler
import TinyKVProto

/// `scheduler-bench`: timestamps per second through the scheduler client (batched), region
/// heartbeats per second and region lookups per second, against an in-process scheduler
/// served over loopback gRPC (or only its handlers, to show the ceiling without the RPC layer).
@main
struct SchedulerBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "scheduler-bench", abstract: "Benchmark the scheduler: TSO, heartbeats, lookups.")

  @Option(help: "Seconds per TSO measurement.") var seconds: Double = 3
  @Option(help: "Regions for the heartbeat and lookup measurements.") var regions = 100_000
  @Option(help: "Stores the regions are spread over.") var stores = 5
  @Option(help: "Concurrent TSO clients to measure, comma-separated.") var clients = "1,16,64"

  func run() async throws {
    let folder = FileManager.default.temporaryDirectory
      .appendingPathComponent("scheduler-bench-\(UUID().uuidString)").path
    defer { try? FileManager.default.removeItem(atPath: folder) }
    var logger = Logger(label: "bench")
    logger.logLevel = .error
    let node = try SchedulerNode(dataDirectory: folder, logger: logger)
    defer { node.close() }
    let server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
      services: [SchedulerService(node: node, name: "bench", clientURLs: [])])
    try await withThrowingDiscardingTaskGroup { group in
      group.addTask { try await server.serve() }
      guard let port = try await server.listeningAddress?.ipv4?.port else { return }
      let endpoint = HostAndPort(host: "127.0.0.1", port: port)
      try await SchedulerClient.connect(to: endpoint) { client in
        for count in clients.split(separator: ",").compactMap({ Int($0) }) {
          try await tso(client, concurrency: count, perCall: 1)
        }
        try await tso(client, concurrency: 64, perCall: 16)
        try await client.bootstrap(store: storeMeta(1))
        for id in 2...max(2, stores) where id <= stores {
          try await client.putStore(storeMeta(UInt64(id)))
        }
      }
      let requests = makeHeartbeats()
      heartbeatsInProcess(node, requests)
      try await heartbeatsOverGRPC(endpoint, requests)
      lookupsInProcess(node)
      schedulingPass(node)
      try await lookupsOverGRPC(endpoint, concurrency: 1)
      try await lookupsOverGRPC(endpoint, concurrency: 64)
      try await scansOverGRPC(endpoint, concurrency: 16, limit: 64)
      server.beginGracefulShutdown()
    }
  }

  func storeMeta(_ id: UInt64) -> Metapb_Store {
    var store = Metapb_Store()
    store.id = id
    store.address = "127.0.0.1:\(20160 + id)"
    return store
  }

  func tso(_ client: SchedulerClient, concurrency: Int, perCall: UInt32) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    let start = ContinuousClock.now
    let latencies = try await withThrowingTaskGroup(of: [Duration].self) { group in
      for _ in 0..<concurrency {
        group.addTask {
          var latencies: [Duration] = []
          var last: UInt64 = 0
          while ContinuousClock.now < deadline {
            let begin = ContinuousClock.now
            let ts =
              perCall == 1
              ? try await client.timestamp() : try await client.timestamps(count: perCall)
            latencies.append(ContinuousClock.now - begin)
            precondition(ts > last, "timestamps went backwards")
            last = ts
          }
          return latencies
        }
      }
      var all: [Duration] = []
      for try await list in group { all += list }
      return all.sorted()
    }
    let elapsed = ContinuousClock.now - start
    report(
      "tso, \(concurrency) clients x \(perCall) per call", count: latencies.count * Int(perCall),
      elapsed: elapsed, latencies: latencies)
  }

  /// Heartbeats of `regions` regions of 3 peers over `stores` stores, leaders spread evenly.
  func makeHeartbeats() -> [RegionInfo] {
    (0..<regions).map { index in
      var meta = Metapb_Region()
      meta.id = UInt64(1_000_000 + index)
      if index > 0 { meta.startKey = Data(String(format: "k%08d", index).utf8) }
      if index < regions - 1 { meta.endKey = Data(String(format: "k%08d", index + 1).utf8) }
      meta.regionEpoch.version = 1
      meta.regionEpoch.confVer = 1
      for replica in 0..<3 {
        var peer = Metapb_Peer()
        peer.id = meta.id * 10 + UInt64(replica)
        peer.storeID = UInt64(1 + (index + replica) % stores)
        meta.peers.append(peer)
      }
      return RegionInfo(meta: meta, leader: meta.peers[0], approximateSizeBytes: 96 << 20)
    }
  }

  func heartbeatsInProcess(_ node: SchedulerNode, _ requests: [RegionInfo]) {
    for round in 0..<2 {  // the first round inserts, the second updates
      let start = ContinuousClock.now
      for request in requests { _ = try? node.cluster.regionHeartbeat(request) }
      let elapsed = ContinuousClock.now - start
      report(
        "region heartbeats, handler only, \(round == 0 ? "first (insert)" : "repeat (update)")",
        count: requests.count, elapsed: elapsed, latencies: [])
    }
  }

  func heartbeatsOverGRPC(_ endpoint: HostAndPort, _ requests: [RegionInfo]) async throws {
    let streams = 4
    let start = ContinuousClock.now
    try await SchedulerClient.connect(to: endpoint) { client in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for stream in 0..<streams {
          group.addTask {
            let mine = stride(from: stream, to: requests.count, by: streams).map { requests[$0] }
            _ = try await client.regionHeartbeats(onResponse: { _ in }) { sender in
              for region in mine {
                var request = Schedulerpb_RegionHeartbeatRequest()
                request.region = region.meta
                request.leader = region.leader!
                request.approximateSize = 96 << 20
                sender.send(request)
              }
              return true
            }
          }
        }
        try await group.waitForAll()
      }
    }
    // The streams end once the scheduler has read every heartbeat.
    report(
      "region heartbeats over gRPC (\(streams) streams)", count: requests.count,
      elapsed: ContinuousClock.now - start, latencies: [])
  }

  /// One balance pass over the whole map (it holds the map's lock while it runs).
  func schedulingPass(_ node: SchedulerNode) {
    let passes = 20
    let start = ContinuousClock.now
    for _ in 0..<passes { node.cluster.runSchedulers() }
    let elapsed = ContinuousClock.now - start
    let millis =
      Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1e3
    print(
      String(
        format: "%-55@ %12.2f ms per pass", "balance schedulers, \(regions) regions" as NSString,
        millis / Double(passes)))
  }

  func lookupsInProcess(_ node: SchedulerNode) {
    let count = 200_000
    var random = SystemRandomNumberGenerator()
    let start = ContinuousClock.now
    var found = 0
    for _ in 0..<count {
      let key = Data(String(format: "k%08d", Int.random(in: 0..<regions, using: &random)).utf8)
      if (try? node.cluster.region(containing: key)) != nil { found += 1 }
    }
    precondition(found == count)
    report(
      "GetRegion, handler only", count: count, elapsed: ContinuousClock.now - start, latencies: [])
  }

  func lookupsOverGRPC(_ endpoint: HostAndPort, concurrency: Int) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    let start = ContinuousClock.now
    let regions = self.regions
    let latencies = try await SchedulerClient.connect(to: endpoint) { client in
      try await withThrowingTaskGroup(of: [Duration].self) { group in
        for _ in 0..<concurrency {
          group.addTask {
            var latencies: [Duration] = []
            while ContinuousClock.now < deadline {
              let key = Data(String(format: "k%08d", Int.random(in: 0..<regions)).utf8)
              let begin = ContinuousClock.now
              guard try await client.region(containing: key) != nil else {
                fatalError("lookup missed")
              }
              latencies.append(ContinuousClock.now - begin)
            }
            return latencies
          }
        }
        var all: [Duration] = []
        for try await list in group { all += list }
        return all.sorted()
      }
    }
    report(
      "GetRegion over gRPC, \(concurrency) concurrent", count: latencies.count,
      elapsed: ContinuousClock.now - start, latencies: latencies)
  }

  /// Region lookups in bulk, as a region cache fills itself: ScanRegions of `limit` regions
  /// from a random key.
  func scansOverGRPC(_ endpoint: HostAndPort, concurrency: Int, limit: Int32) async throws {
    let deadline = ContinuousClock.now + .seconds(seconds)
    let start = ContinuousClock.now
    let regions = self.regions
    let found = try await SchedulerClient.connect(to: endpoint) { client in
      try await withThrowingTaskGroup(of: Int.self) { group in
        for _ in 0..<concurrency {
          group.addTask {
            var found = 0
            while ContinuousClock.now < deadline {
              let key = Data(String(format: "k%08d", Int.random(in: 0..<regions)).utf8)
              found += try await client.scanRegions(from: key, limit: limit).count
            }
            return found
          }
        }
        return try await group.reduce(0, +)
      }
    }
    report(
      "regions located via ScanRegions(limit \(limit)), \(concurrency) concurrent", count: found,
      elapsed: ContinuousClock.now - start, latencies: [])
  }

  func report(_ name: String, count: Int, elapsed: Duration, latencies: [Duration]) {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    var line = String(
      format: "%-55@ %12.0f /s  (%d in %.2f s)", name as NSString, Double(count) / seconds, count,
      seconds)
    if !latencies.isEmpty {
      func micros(_ q: Double) -> Double {
        let d = latencies[min(latencies.count - 1, Int(Double(latencies.count) * q))]
        return Double(d.components.attoseconds) / 1e12 + Double(d.components.seconds) * 1e6
      }
      line += String(format: "  p50 %.0f us  p99 %.0f us", micros(0.5), micros(0.99))
    }
    print(line)
  }
}
