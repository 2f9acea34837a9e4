import Foundation
import TestSupport
import Testing

/// What the SQL end-to-end suites share: `tinysql-server` as a process (over a cluster of the
/// scheduler and 3 stores, or over a store in its own process), the Python scripts of
/// Tests/SQLClients run with the venv's PyMySQL, Debian's `mysql`, and seeds.
enum SQLEndToEnd {
  static let clients = ExternalClients.root.appendingPathComponent("Tests/SQLClients")
  static let corpus = ExternalClients.root.appendingPathComponent("Tests/SQLCorpus")
  static let mysqlPath = ExternalClients.executable("mysql")
  static let pythonEnvironment = ["PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"]

  /// How long the soak variants run (`SQL_SOAK_SECONDS`); nil: the quick variants only.
  static let soakSeconds = ProcessInfo.processInfo.environment["SQL_SOAK_SECONDS"]
    .flatMap { Double($0) }.flatMap { $0 > 0 ? $0 : nil }

  /// The seed of a randomized test: `SQL_E2E_SEED` when set (to repeat a run), else random;
  /// printed either way.
  static func seed(_ test: String) -> UInt64 {
    let seed =
      ProcessInfo.processInfo.environment["SQL_E2E_SEED"].flatMap { UInt64($0) }
      ?? UInt64.random(in: 1...UInt64(Int32.max))
    print("\(test): seed \(seed) (SQL_E2E_SEED=\(seed) repeats it)")
    return seed
  }

  /// Starts `tinysql-server` over the cluster whose scheduler is at `pd` (`--store tikv`) and
  /// waits until it accepts connections. No status port.
  static func startServer(overCluster pd: String, directory: TemporaryDirectory, run: Int = 1)
    async throws -> ServerProcess
  {
    try await startServer(
      ["--store", "tikv", "--path", pd], directory: directory, log: "tinysql-\(run).log")
  }

  /// Starts `tinysql-server --store local` with its data in `directory/sql-data`.
  static func startLocalServer(directory: TemporaryDirectory) async throws -> ServerProcess {
    try await startServer(
      ["--store", "local", "--path", directory.appending("sql-data")], directory: directory,
      log: "tinysql-local.log")
  }

  private static func startServer(
    _ storeArguments: [String], directory: TemporaryDirectory, log: String
  ) async throws -> ServerProcess {
    let port = try FreePort.allocate()
    let server = try ServerProcess(
      product: "tinysql-server",
      arguments: storeArguments + [
        "--host", "127.0.0.1", "-P", "\(port)", "--status", "0", "-L", "warning",
      ],
      port: port, logPath: directory.appending(log))
    try await server.waitUntilListening(timeout: .seconds(60))
    return server
  }

  /// Runs `script` (in Tests/SQLClients) with the venv's Python and `arguments`; its output
  /// goes to `directory/<log>` and is returned.
  static func python(
    _ script: String, _ arguments: [String], directory: TemporaryDirectory, log: String,
    timeout: Duration = .seconds(480)
  ) async throws -> ExternalClients.Outcome {
    try await ExternalClients.run(
      ExternalClients.python, [clients.appendingPathComponent(script).path] + arguments,
      in: clients, environment: pythonEnvironment, log: directory.appending(log),
      timeout: timeout)
  }

  /// Runs `mysql` (no option files) against 127.0.0.1:`port` with `arguments`; with `input`,
  /// that text is its standard input, as `mysql ... < script.sql` gives it.
  static func mysql(port: Int, _ arguments: [String], input: String? = nil) async throws
    -> Outcome
  {
    let mysql = try #require(
      mysqlPath, "CI=true but no mysql on PATH: scripts/install-deps.sh installs mariadb-client")
    let connection = ["--no-defaults", "-h", "127.0.0.1", "-P", "\(port)", "-u", "root"]
    guard let input else {
      let outcome = try await ExternalClients.run(
        mysql, connection + arguments, timeout: .seconds(120))
      return Outcome(status: outcome.status, output: outcome.output, errors: outcome.errors)
    }
    let scratch = try TemporaryDirectory("mysql-input")
    let inputPath = scratch.appending("input.sql")
    try input.write(toFile: inputPath, atomically: true, encoding: .utf8)
    return try await runWithInput(mysql, connection + arguments, inputPath: inputPath)
  }

  /// What a client printed and how it ended.
  struct Outcome: Sendable {
    var status: Int32
    var output: String
    var errors: String
  }

  /// `ExternalClients.run` with standard input from a file.
  private static func runWithInput(_ executable: String, _ arguments: [String], inputPath: String)
    async throws -> Outcome
  {
    let scratch = try TemporaryDirectory("process-input")
    let outputPath = scratch.appending("stdout")
    let errorPath = scratch.appending("stderr")
    for path in [outputPath, errorPath] {
      guard FileManager.default.createFile(atPath: path, contents: nil) else {
        throw TestFailure("cannot create \(path)")
      }
    }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    let errors = try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath))
    let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inputPath))
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.standardInput = input
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let deadline = ContinuousClock.now + .seconds(120)
    while process.isRunning && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    for handle in [output, errors, input] { try? handle.close() }
    func read(_ path: String) -> String {
      (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(no output)"
    }
    return Outcome(
      status: process.terminationStatus, output: read(outputPath), errors: read(errorPath))
  }

  /// The last `count` characters of a server's log, for failure messages.
  static func tail(_ server: ServerProcess, _ count: Int = 3000) -> String {
    "--- \(server.logPath) ---\n\(server.log().suffix(count))"
  }
}
