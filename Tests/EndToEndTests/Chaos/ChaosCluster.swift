import Client
import Foundation
import TestSupport
import Testing

/// The real scheduler and 3 to 5 `tinykv-server` processes on loopback, for a chaos run: every
/// store takes failpoint requests on its status port (`TINYKV_FAILPOINTS` is set) and splits
/// its regions early, so a few kilobytes of data make several regions.
///
/// The faults the nemesis injects are methods here; each keeps the other stores untouched.
actor ChaosCluster {
  /// `[raftstore]` lines of every store: small regions, and a log compacted early so that a
  /// store that was down catches up through a snapshot.
  static let raftstoreSettings = [
    "split-region-check-tick-interval = 5", "region-max-size = \"24KiB\"",
    "region-split-size = \"12KiB\"", "region-split-check-diff = \"4KiB\"",
    "raft-log-gc-tick-interval = 5", "raft-log-gc-count-limit = 40",
  ]

  let directory: TemporaryDirectory
  let schedulerPort: Int
  let ports: [Int]
  let statusPorts: [Int]
  /// The scheduler's id of each store, by process index.
  private(set) var storeIDs: [UInt64] = []
  private let scheduler: ServerProcess
  private var stores: [ServerProcess] = []
  private var runs: [Int]
  /// When each store last started (seconds since 1970), to know when it heartbeats again.
  private var startedAt: [UInt32]

  nonisolated var endpoint: HostAndPort { HostAndPort(host: "127.0.0.1", port: schedulerPort) }
  var count: Int { ports.count }

  private init(
    stores count: Int, scheduler: ServerProcess, port: Int, in directory: TemporaryDirectory
  ) throws {
    self.directory = directory
    self.scheduler = scheduler
    schedulerPort = port
    ports = try (0..<count).map { _ in try FreePort.allocate() }
    statusPorts = try (0..<count).map { _ in try FreePort.allocate() }
    runs = Array(repeating: 1, count: count)
    startedAt = Array(repeating: 0, count: count)
  }

  /// Starts the scheduler and `count` stores (data under a temporary folder named after
  /// `name`), runs `body`, and stops every process however `body` ends; when it throws, the end
  /// of each process's log is printed first.
  static func with<Result: Sendable>(
    _ name: String, stores count: Int, _ body: (ChaosCluster) async throws -> Result
  ) async throws -> Result {
    let directory = try TemporaryDirectory("chaos-\(name)")
    let port = try FreePort.allocate()
    let scheduler = try await startScheduler(port: port, directory: directory)
    let cluster = try ChaosCluster(
      stores: count, scheduler: scheduler, port: port, in: directory)
    do {
      try await cluster.startAll()
      try await cluster.waitUntilHealthy()
      let result = try await body(cluster)
      await cluster.shutdown()
      return result
    } catch {
      await cluster.printLogs()
      await cluster.shutdown()
      throw error
    }
  }

  private func startAll() async throws {
    for index in ports.indices { stores.append(try await start(index)) }
    let ports = ports
    storeIDs = try await SchedulerClient.connect(to: endpoint) { client in
      try await eventually("\(ports.count) stores register", timeout: .seconds(30)) {
        try await client.stores().count >= ports.count
      }
      let registered = try await client.stores()
      return try ports.map { port in
        try #require(registered.first { $0.address == "127.0.0.1:\(port)" }?.id)
      }
    }
  }

  private func start(_ index: Int) async throws -> ServerProcess {
    defer { runs[index] += 1 }
    startedAt[index] = UInt32(Date().timeIntervalSince1970)
    return try await startClusterStore(
      name: "store-\(index)", port: ports[index], schedulerPort: schedulerPort,
      directory: directory, logName: "store-\(index)-run-\(runs[index])",
      raftstoreSettings: Self.raftstoreSettings, environment: ["TINYKV_FAILPOINTS": ""],
      statusPort: statusPorts[index])
  }

  // MARK: Faults

  /// `kill -9` of store `index`.
  func kill(_ index: Int) { stores[index].stop(signal: SIGKILL) }

  /// Starts store `index` again on its folder (after ``kill(_:)``).
  func restart(_ index: Int) async throws { stores[index] = try await start(index) }

  /// SIGSTOP: the process stays, its sockets open, but nothing answers.
  func pause(_ index: Int) { stores[index].send(SIGSTOP) }

  /// SIGCONT after ``pause(_:)``.
  func resume(_ index: Int) { stores[index].send(SIGCONT) }

  /// Cuts store `index` off from every other store, both directions, through the
  /// `transport::send` failpoint (clients still reach it).
  func partition(_ index: Int) async throws {
    let others = ports.indices.filter { $0 != index }
    try await setFailpoint(
      index, "return(\(others.map { "\(storeIDs[$0])" }.joined(separator: ",")))")
    for other in others { try await setFailpoint(other, "return(\(storeIDs[index]))") }
  }

  /// Lifts every partition.
  func heal() async throws {
    for index in ports.indices {
      let response = try await httpRequest(
        port: statusPorts[index], "DELETE", "/fail/transport::send")
      guard response.status == 200 else {
        throw TestFailure("DELETE /fail on store \(index): \(response.status) \(response.body)")
      }
    }
  }

  private func setFailpoint(_ index: Int, _ actions: String) async throws {
    let response = try await httpRequest(
      port: statusPorts[index], "PUT", "/fail/transport::send", body: actions)
    guard response.status == 200 else {
      throw TestFailure("PUT /fail on store \(index): \(response.status) \(response.body)")
    }
  }

  // MARK: Health

  /// Waits until every store runs, listens and has heartbeated since it last started, and
  /// every region has a leader the scheduler knows; returns the number of regions.
  @discardableResult
  func waitUntilHealthy(timeout: Duration = .seconds(60)) async throws -> Int {
    for index in ports.indices {
      guard stores[index].isRunning else { throw TestFailure("store \(index) exited") }
    }
    let (ports, storeIDs, startedAt) = (ports, storeIDs, startedAt)
    return try await SchedulerClient.connect(to: endpoint) { client in
      var regions = 0
      try await eventually(
        "every store back and every region led", timeout: timeout, every: .milliseconds(200)
      ) {
        for index in ports.indices {
          guard FreePort.isListening(ports[index]) else { return false }
          let stats = try await client.store(id: storeIDs[index]).stats
          guard (stats?.startTime ?? 0) >= startedAt[index] else { return false }
        }
        let locations = try await client.scanRegions()
        regions = locations.count
        return !locations.isEmpty && locations.allSatisfy { $0.leader != nil }
      }
      return regions
    }
  }

  /// The number of regions the scheduler knows.
  func regionCount() async throws -> Int {
    try await SchedulerClient.connect(to: endpoint) { try await $0.scanRegions().count }
  }

  // MARK: Teardown

  private func shutdown() {
    for store in stores {
      store.send(SIGCONT)
      store.stop()
    }
    scheduler.stop()
  }

  /// Prints the end of every store log and copies all the logs to a folder kept after the
  /// run (`<tmp>/chaos-logs-<name>-<random>`), whose path it prints.
  private func printLogs() {
    let kept = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chaos-logs-\(URL(fileURLWithPath: directory.path).lastPathComponent)")
    try? FileManager.default.createDirectory(at: kept, withIntermediateDirectories: true)
    let logs = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    for log in logs.sorted() where log.hasSuffix(".log") {
      try? FileManager.default.copyItem(
        atPath: directory.appending(log), toPath: kept.appendingPathComponent(log).path)
      let text = (try? String(contentsOfFile: directory.appending(log), encoding: .utf8)) ?? ""
      print("--- \(log)\n\(text.suffix(3000))")
    }
    print("chaos: the logs are kept in \(kept.path)")
  }
}
