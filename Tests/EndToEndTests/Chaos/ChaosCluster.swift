import Client
import Foundation
import TestSupport
import Testing

/// The real scheduler and 3 to 5 `tinykv-server` processes for a chaos run, on loopback or
/// (namespace mode) each store in a network namespace of its own (``ChaosNetwork``): every store
/// takes failpoint requests on its status port and splits its regions early, so a few kilobytes
/// of data make several regions. Every process is watched: one that ends by itself fails the
/// run at once (``ProcessDeath``).
///
/// The faults the nemesis injects are methods here; each keeps the other stores untouched.
actor ChaosCluster {
  let directory: TemporaryDirectory
  let schedulerPort: Int
  let ports: [Int]
  let statusPorts: [Int]
  /// The stores' namespaces and links, in namespace mode.
  let network: ChaosNetwork?
  /// The scheduler's id of each store, by process index.
  private(set) var storeIDs: [UInt64] = []
  private let watch: DeathWatch
  private var scheduler: ChaosProcess?
  private var stores: [ChaosProcess] = []
  private var runs: [Int]
  /// When each store last started (seconds since 1970), to know when it heartbeats again.
  private var startedAt: [UInt32]

  /// The scheduler's address: the bridge's gateway in namespace mode, else loopback.
  nonisolated var schedulerHost: String { network?.gateway ?? "127.0.0.1" }
  nonisolated var endpoint: HostAndPort { HostAndPort(host: schedulerHost, port: schedulerPort) }
  /// The address store `index` listens on.
  nonisolated func host(_ index: Int) -> String { network?.address(index) ?? "127.0.0.1" }
  var count: Int { ports.count }

  private init(
    stores count: Int, network: ChaosNetwork?, watch: DeathWatch, in directory: TemporaryDirectory
  ) throws {
    self.directory = directory
    self.network = network
    self.watch = watch
    schedulerPort = try FreePort.allocate()
    ports = try (0..<count).map { _ in try FreePort.allocate() }
    statusPorts = try (0..<count).map { _ in try FreePort.allocate() }
    runs = Array(repeating: 1, count: count)
    startedAt = Array(repeating: 0, count: count)
  }

  /// Starts the scheduler and `settings.stores` stores (data under a temporary folder named
  /// after `name`; in network namespaces when `settings.netns`), runs `body`, and stops every
  /// process however `body` ends. The run fails at once, with that process's log tail, when a
  /// process ends by itself, and when `settings.deadline` passes (``supervise(deadline:watch:_:)``);
  /// on any failure the end of each log is printed and the logs are kept.
  static func with<Result: Sendable>(
    _ name: String, _ settings: ChaosSettings,
    _ body: @escaping @Sendable (ChaosCluster) async throws -> Result
  ) async throws -> Result {
    let directory = try TemporaryDirectory("chaos-\(name)")
    let network: ChaosNetwork? =
      try settings.netns
      ? ChaosNetwork.create(
        stores: settings.stores, netem: NetnsSupport.require().netem) : nil
    defer { network?.remove() }
    if let network {
      print(
        "chaos \(name): stores in namespaces \(network.id)-s*, subnet 10.200.\(network.subnet).0/24, "
          + "scheduler and clients at \(network.gateway), netem \(network.netem ? "yes" : "no")")
    }
    let watch = DeathWatch()
    watch.onDeath {
      print("chaos \(name): \($0.name) ended by itself (\($0.termination)): failing the run")
    }
    let cluster = try ChaosCluster(
      stores: settings.stores, network: network, watch: watch, in: directory)
    let supervised = await supervise(deadline: settings.deadline, watch: watch) {
      try await cluster.startAll()
      try await cluster.waitUntilHealthy()
      return try await body(cluster)
    }
    // A death is the cause of whatever else failed, and fails a run that otherwise passed.
    var failure: (any Error)? = watch.deaths.first
    if case .failure(let error) = supervised.outcome {
      if failure == nil {
        failure = error
      } else if !(error is ProcessDeath) {
        print("chaos \(name): after the death: \(error)")
      }
    }
    if failure != nil { await cluster.printLogs() }
    // A failed run, its logs kept, need not wait for graceful exits: it reports sooner.
    await cluster.shutdown(signal: failure == nil ? SIGTERM : SIGKILL)
    if !(await supervised.settle(within: .seconds(10))) {
      print("chaos \(name): the test's body still ran 10 s after its cluster stopped")
    }
    if let failure { throw failure }
    return try supervised.outcome.get()
  }

  private func startAll() async throws {
    let scheduler = try ChaosLaunch.scheduler(
      host: schedulerHost, port: schedulerPort, directory: directory, watch: watch)
    self.scheduler = scheduler
    try await scheduler.waitUntilListening(host: schedulerHost, port: schedulerPort)
    for index in ports.indices { stores.append(try await start(index)) }
    let addresses = ports.indices.map { "\(host($0)):\(ports[$0])" }
    storeIDs = try await SchedulerClient.connect(to: endpoint) { client in
      try await eventually("\(addresses.count) stores register", timeout: .seconds(30)) {
        try await client.stores().count >= addresses.count
      }
      let registered = try await client.stores()
      return try addresses.map { address in
        try #require(registered.first { $0.address == address }?.id)
      }
    }
  }

  private func start(_ index: Int) async throws -> ChaosProcess {
    defer { runs[index] += 1 }
    startedAt[index] = UInt32(Date().timeIntervalSince1970)
    let address = ChaosLaunch.StoreAddress(
      host: host(index), port: ports[index], statusPort: statusPorts[index],
      scheduler: "\(schedulerHost):\(schedulerPort)")
    let store = try ChaosLaunch.store(
      index, run: runs[index], at: address, network: network, directory: directory, watch: watch)
    try await store.waitUntilListening(host: host(index), port: ports[index])
    return store
  }

  /// The process id of store `index`, for a test that kills it behind the harness's back.
  func pid(of index: Int) -> Int32 { stores[index].pid }

  /// Sends a failpoint request to store `index`'s status port.
  func failpoint(_ index: Int, _ method: String, _ name: String, _ actions: String = "")
    async throws
  {
    let response = try await Reachability.http(
      host: host(index), port: statusPorts[index], method, "/fail/\(name)", body: actions)
    guard response.status == 200 else {
      throw TestFailure(
        "\(method) /fail/\(name) on store \(index): \(response.status) \(response.body)")
    }
  }

  // MARK: Faults

  /// `kill -9` of store `index`.
  func kill(_ index: Int) async { await stores[index].stop(signal: SIGKILL) }

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
    try await failpoint(
      index, "PUT", "transport::send",
      "return(\(others.map { "\(storeIDs[$0])" }.joined(separator: ",")))")
    for other in others {
      try await failpoint(other, "PUT", "transport::send", "return(\(storeIDs[index]))")
    }
  }

  /// Lifts every partition.
  func heal() async throws {
    for index in ports.indices { try await failpoint(index, "DELETE", "transport::send") }
  }

  /// Injects a network fault on store `index` (namespace mode only).
  func inject(_ fault: NetworkFault, on index: Int) throws {
    guard let network else { throw TestFailure("network faults need namespace mode") }
    try network.inject(fault, on: index)
  }

  /// Lifts every network fault of store `index`.
  func healNetwork(_ index: Int) { network?.heal(index) }

  // MARK: Health

  /// Waits until every store runs, listens and has heartbeated since it last started, and
  /// every region has a leader the scheduler knows; returns the number of regions.
  @discardableResult
  func waitUntilHealthy(timeout: Duration = .seconds(60)) async throws -> Int {
    for store in stores where !store.isRunning { throw TestFailure("\(store.name) exited") }
    let (ports, storeIDs, startedAt) = (ports, storeIDs, startedAt)
    let hosts = ports.indices.map(host)
    return try await SchedulerClient.connect(to: endpoint) { client in
      var regions = 0
      try await eventually(
        "every store back and every region led", timeout: timeout, every: .milliseconds(200)
      ) {
        for index in ports.indices {
          guard Reachability.isListening(host: hosts[index], port: ports[index]) else {
            return false
          }
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

  /// Stops every process (on purpose: not deaths), the stores together, then the scheduler,
  /// with `signal` (SIGKILL for any still there 10 s later).
  private func shutdown(signal: Int32) async {
    await withTaskGroup(of: Void.self) { group in
      for store in stores { group.addTask { await store.stop(signal: signal) } }
    }
    await scheduler?.stop(signal: signal)
  }

  /// Prints the end of every log and copies all the logs to a folder kept after the run
  /// (`<tmp>/chaos-logs-<name>-<random>`), whose path it prints.
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
