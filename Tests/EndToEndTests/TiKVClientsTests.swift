import Client
import Foundation
import TestSupport
import Testing

/// TiKV's own clients, unchanged, against a real local cluster: each script in
/// Tests/TiKVClients runs with the Python venv that scripts/tikv-clients-venv.sh makes
/// (tikv-python 0.1.1, tikv-client 0.0.4 = client-rust), given the scheduler's address as PD's.
/// The cluster is the scheduler and 3 stores as processes with small regions, so the scripts'
/// writes split the key space and their scans cross region boundaries.
@Suite("TiKV's clients against the cluster", .serialized)
struct TiKVClientsTests {
  /// The repository's root, from this file's path.
  static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  static let python = root.appendingPathComponent(".build/tikv-clients-venv/bin/python").path
  static let scripts = root.appendingPathComponent("Tests/TiKVClients")
  static let venvPresent = FileManager.default.isExecutableFile(atPath: python)
  /// On CI a missing venv is a failure, not a skip.
  static let onCI = ProcessInfo.processInfo.environment["CI"] == "true"

  @Test(
    "a client script passes every check",
    .enabled(
      if: venvPresent || onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"),
    .timeLimit(.minutes(10)),
    arguments: [
      "tikv_clients_pd.py", "tikv_python_raw.py", "tikv_client_raw.py", "tikv_client_txn.py",
    ])
  func script(_ name: String) async throws {
    try #require(
      Self.venvPresent,
      "CI=true but \(Self.python) is missing: scripts/test.sh runs scripts/tikv-clients-venv.sh first"
    )
    let directory = try TemporaryDirectory("tikv-clients")
    let schedulerPort = try FreePort.allocate()
    let scheduler = try await startScheduler(port: schedulerPort, directory: directory)
    defer { _ = scheduler.stop() }
    var stores: [ServerProcess] = []
    defer { for store in stores { _ = store.stop() } }
    for index in 0..<3 {
      stores.append(
        try await startClusterStore(
          name: "store-\(index)", port: try FreePort.allocate(), schedulerPort: schedulerPort,
          directory: directory,
          raftstoreSettings: [
            "split-region-check-tick-interval = 5", "region-max-size = \"24KiB\"",
            "region-split-size = \"12KiB\"", "region-split-check-diff = \"4KiB\"",
          ]))
    }
    let endpoint = HostAndPort(host: "127.0.0.1", port: schedulerPort)
    try await SchedulerClient.connect(to: endpoint) { scheduler in
      try await eventually("a region led and replicated on 3 stores", timeout: .seconds(60)) {
        let regions = try await scheduler.scanRegions(limit: 10)
        return !regions.isEmpty
          && regions.allSatisfy { $0.leader != nil && $0.region.peers.count == 3 }
      }
    }

    let outcome = try await run(name, pd: "127.0.0.1:\(schedulerPort)", in: directory)
    #expect(
      outcome.status == 0,
      """
      \(name) exited with \(outcome.status):
      \(outcome.output)
      --- scheduler log ---
      \(scheduler.log().suffix(4000))
      """)
  }

  /// Runs the script `name` with the venv's Python and waits for it (at most 8 minutes).
  func run(_ name: String, pd: String, in directory: TemporaryDirectory) async throws
    -> (status: Int32, output: String)
  {
    let logPath = directory.appending("\(name).log")
    guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
      throw TestFailure("cannot create \(logPath)")
    }
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.python)
    process.arguments = [Self.scripts.appendingPathComponent(name).path, pd]
    process.currentDirectoryURL = Self.scripts
    process.environment = ProcessInfo.processInfo.environment.merging([
      "PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1",
    ]) { $1 }
    process.standardOutput = log
    process.standardError = log
    try process.run()
    let deadline = ContinuousClock.now + .seconds(480)
    while process.isRunning && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(100))
    }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    let output = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no output)"
    return (process.terminationStatus, output)
  }
}
