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
  static let python = ExternalClients.python
  static let scripts = ExternalClients.root.appendingPathComponent("Tests/TiKVClients")
  static let venvPresent = ExternalClients.venvPresent
  /// On CI a missing venv is a failure, not a skip.
  static let onCI = ExternalClients.onCI
  /// pingcap/tipb's own proto/ folder at the pinned commit, which tinysql_dag.py compiles
  /// (docs/COPROCESSOR.md says how to get it).
  static let tipbProtoDirSet = ProcessInfo.processInfo.environment["TIPB_PROTO_DIR"] != nil

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
    let cluster = try await ClientsCluster.start()
    defer { cluster.stop() }
    try await expectPasses(name, on: cluster)
  }

  @Test(
    "raw and transactional data through TiKV's clients survive a kill -9 and restart of the store leading the most regions",
    .enabled(
      if: venvPresent || onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"),
    .timeLimit(.minutes(10)))
  func leaderStoreRestart() async throws {
    try #require(Self.venvPresent, "CI=true but \(Self.python) is missing")
    let cluster = try await ClientsCluster.start()
    defer { cluster.stop() }
    let script = "tikv_clients_restart.py"
    try await expectPasses(script, "write", on: cluster)

    let victim = try await cluster.storeLeadingMostRegions()
    _ = cluster.stores[victim].stop(signal: SIGKILL)
    try await cluster.waitUntilNoRegionIsLed(byStorePort: cluster.storePorts[victim])
    try await expectPasses(script, "down", on: cluster)

    try await cluster.restartStore(victim)
    try await expectPasses(script, "up", on: cluster)
  }

  @Test(
    "an independent TinySQL-style client's DAG requests (scans, selection, aggregation, TopN, Limit, index scans, errors, locks) are answered as TinySQL expects",
    // tinysql_dag.py compiles upstream tipb from TIPB_PROTO_DIR (never our proto/ copies), and
    // CI cannot get those files: it reaches Debian's and PyPI's registries but not GitHub, and
    // no registry carries tipb. So the test runs only where TIPB_PROTO_DIR is set.
    .enabled(
      if: tipbProtoDirSet,
      "TIPB_PROTO_DIR is not set: it must name pingcap/tipb's proto/ folder at c4d518eb1d60"),
    .enabled(
      if: venvPresent || onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"),
    .timeLimit(.minutes(10)))
  func tinySQLCoprocessor() async throws {
    try #require(Self.venvPresent, "CI=true but \(Self.python) is missing")
    let cluster = try await ClientsCluster.start()
    defer { cluster.stop() }
    try await expectPasses("tinysql_dag.py", on: cluster)
  }

  /// Runs script `name` (with `phase`, if any) against `cluster` and expects exit status 0.
  func expectPasses(_ name: String, _ phase: String? = nil, on cluster: ClientsCluster)
    async throws
  {
    let outcome = try await run(
      name, arguments: [cluster.pd] + (phase.map { [$0] } ?? []), in: cluster.directory)
    #expect(
      outcome.status == 0,
      """
      \(name) \(phase ?? "") exited with \(outcome.status):
      \(outcome.output)
      --- scheduler log ---
      \(cluster.scheduler.log().suffix(4000))
      """)
  }

  /// Runs the script `name` with `arguments` (PD's address first) with the venv's Python and waits for it (at most 8 minutes).
  func run(_ name: String, arguments: [String], in directory: TemporaryDirectory) async throws
    -> (status: Int32, output: String)
  {
    let logPath = directory.appending(
      ([name] + arguments.dropFirst()).joined(separator: "-") + ".log")
    let outcome = try await ExternalClients.run(
      Self.python, [Self.scripts.appendingPathComponent(name).path] + arguments,
      in: Self.scripts,
      environment: ["PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"], log: logPath)
    return (outcome.status, outcome.output)
  }
}
