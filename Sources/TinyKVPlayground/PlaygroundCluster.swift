import Client
import Foundation
import ServerSupport
import Synchronization
import TinyKVProto

/// The playground's processes: the scheduler, then the stores; stopped in the reverse order.
final class PlaygroundCluster: Sendable {
  private let command: PlaygroundCommand
  private let children = Mutex<[ChildProcess]>([])

  init(command: PlaygroundCommand) { self.command = command }

  private var schedulerAddress: String { "127.0.0.1:\(command.schedulerPort)" }

  /// Starts every process and waits until the cluster is ready, showing progress.
  func start() async throws {
    let dir = command.dir
    let started = ContinuousClock.now
    progress("starting the scheduler on \(schedulerAddress)")
    let scheduler = try ChildProcess(
      name: "scheduler", executable: "tinyscheduler-server",
      arguments: [
        "--client-urls", "http://\(schedulerAddress)", "--data-dir", dir + "/scheduler",
        "--status-addr", "127.0.0.1:\(command.schedulerPort + 2)", "--loglevel",
        command.loglevel,
      ],
      logPath: dir + "/logs/scheduler.log")
    children.withLock { $0.append(scheduler) }
    var options = SchedulerClient.Options()
    options.retryTimeout = .seconds(command.readyTimeout)
    try await SchedulerClient.connect(
      to: HostAndPort(host: "127.0.0.1", port: command.schedulerPort), options: options
    ) { client in
      progress("scheduler ready (cluster \(client.clusterID))")
      for index in 0..<command.stores {
        let store = try ChildProcess(
          name: "store \(index + 1)", executable: "tinykv-server",
          arguments: [
            "--addr", "127.0.0.1:\(command.storePort + index)", "--path",
            dir + "/store-\(index + 1)", "--scheduler", schedulerAddress, "--status-addr",
            "127.0.0.1:\(command.statusPort + index)", "--loglevel", command.loglevel,
          ] + (command.storeConfig.map { ["--config", $0] } ?? []),
          logPath: dir + "/logs/store-\(index + 1).log")
        children.withLock { $0.append(store) }
      }
      progress("started \(command.stores) store(s); waiting for them to join")
      try await waitUntilReady(client, deadline: started + .seconds(command.readyTimeout))
    }
    if command.sqlPort != 0 {
      // Its own deadline: the cluster's readiness may have used up --ready-timeout.
      try await startSQLServer(
        deadline: ContinuousClock.now + .seconds(max(command.readyTimeout, 30)))
    }
    let seconds = Double((ContinuousClock.now - started).components.seconds)
    progress("cluster ready in about \(Int(seconds.rounded())) s")
  }

  /// Starts tinysql-server over the cluster and waits until it accepts connections.
  private func startSQLServer(deadline: ContinuousClock.Instant) async throws {
    progress("starting tinysql-server on 127.0.0.1:\(command.sqlPort)")
    let sql = try ChildProcess(
      name: "tinysql-server", executable: "tinysql-server",
      arguments: [
        "--store", "tikv", "--path", schedulerAddress, "--host", "127.0.0.1", "-P",
        "\(command.sqlPort)", "--status", "\(command.sqlStatusPort)", "-L", command.loglevel,
      ],
      logPath: command.dir + "/logs/tinysql.log")
    children.withLock { $0.append(sql) }
    while !PortProbe.isListening(command.sqlPort) {
      try checkChildren()
      guard ContinuousClock.now < deadline else {
        throw PlaygroundError(
          "tinysql-server did not listen within the ready timeout; see \(sql.logPath)")
      }
      try await Task.sleep(for: .milliseconds(100))  // the poll interval, with a deadline
    }
    progress("tinysql-server ready")
  }

  /// Polls the scheduler until every store has joined and the first region has a leader and
  /// its replicas; reports each step once.
  private func waitUntilReady(
    _ client: SchedulerClient, deadline: ContinuousClock.Instant
  ) async throws {
    var joined = -1
    var replicas = -1
    var leaderShown = false
    let target = command.stores
    while ContinuousClock.now < deadline {
      try checkChildren()
      let stores = (try? await client.stores(excludingTombstones: true)) ?? []
      if stores.count != joined {
        joined = stores.count
        progress("stores joined: \(joined)/\(target)")
      }
      let maxReplicas = Int((try? await client.clusterConfig().maxPeerCount) ?? 3)
      if joined >= target, let first = try? await client.region(containing: Data()) {
        if let leader = first.leader, !leaderShown {
          leaderShown = true
          progress("first region \(first.region.id): leader on store \(leader.storeID)")
        }
        let wanted = min(target, maxReplicas)
        if first.region.peers.count != replicas {
          replicas = first.region.peers.count
          progress("first region replicas: \(replicas)/\(wanted)")
        }
        if leaderShown, replicas >= wanted { return }
      }
      try await Task.sleep(for: .milliseconds(200))  // the poll interval, with a deadline
    }
    guard leaderShown else {
      throw PlaygroundError(
        "the cluster was not ready within \(Int(command.readyTimeout)) s; see \(command.dir)/logs")
    }
    progress(
      "warning: the first region has \(replicas) replica(s) after \(Int(command.readyTimeout)) s;"
        + " going on")
  }

  /// Throws if a process has exited.
  private func checkChildren() throws {
    for child in children.withLock({ $0 }) where !child.isRunning {
      throw PlaygroundError(
        "\(child.name) exited with status \(child.exitStatus); the end of \(child.logPath):\n"
          + child.logTail())
    }
  }

  func printWelcome() {
    let first = command.storePort
    let sqlLine = command.sqlPort == 0 ? "" : "\n  mysql -h 127.0.0.1 -P \(command.sqlPort) -u root"
    print(
      """

      TinyKV cluster running (data and logs in \(command.dir)):
        scheduler  \(schedulerAddress)   metrics http://127.0.0.1:\(command.schedulerPort + 2)/metrics
      """)
    for index in 0..<command.stores {
      print(
        "  store \(index + 1)    127.0.0.1:\(first + index)  metrics http://127.0.0.1:\(command.statusPort + index)/metrics"
      )
    }
    if command.sqlPort != 0 {
      print(
        "  SQL        127.0.0.1:\(command.sqlPort)   metrics http://127.0.0.1:\(command.sqlStatusPort)/metrics"
      )
    }
    print(
      """

      Try, in another terminal (binaries in \(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().path)):\(sqlLine)
        tinykv-ctl cluster status --scheduler \(schedulerAddress)
        tinykv-ctl raw put --scheduler \(schedulerAddress) hello world
        tinykv-ctl raw get --scheduler \(schedulerAddress) hello
        tinykv-bench raw load --scheduler \(schedulerAddress) --keys 10000

      Ctrl-C stops the cluster.
      """)
  }

  /// Runs until SIGINT or SIGTERM, reporting processes that exit meanwhile, then stops all.
  func runUntilInterrupted() async {
    let (interrupted, signal) = AsyncStream.makeStream(of: String.self)
    let signals = ShutdownSignals { name in signal.yield(name) }
    defer { signals.cancel() }
    let monitor = Task {
      var reported: Set<String> = []
      while !Task.isCancelled {
        for child in children.withLock({ $0 }) where !child.isRunning {
          if reported.insert(child.name).inserted {
            progress("\(child.name) exited with status \(child.exitStatus) (see \(child.logPath))")
          }
        }
        try? await Task.sleep(for: .milliseconds(500))  // the monitor's poll interval
      }
    }
    var iterator = interrupted.makeAsyncIterator()
    if let name = await iterator.next() { progress("\(name): stopping the cluster") }
    monitor.cancel()
    await stop()
  }

  /// Stops the SQL server, the stores, then the scheduler.
  func stop() async {
    for child in children.withLock({ $0 }).reversed() {
      let clean = await child.stop()
      progress("\(child.name) stopped\(clean ? "" : " (killed after 10 s)")")
    }
  }
}

private func progress(_ message: String) {
  FileHandle.standardError.write(Data("[playground] \(message)\n".utf8))
}
