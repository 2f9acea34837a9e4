import Foundation
import TestSupport
import Testing

/// The SQL corpus (Tests/SQLCorpus) through PyMySQL (Tests/SQLClients/slt_runner.py) against the
/// real `tinysql-server`: over a cluster of the scheduler and 3 stores as processes (small
/// regions, so tables split), and over a store in the server's own process. Every record must
/// pass: the runner's exit status is 0.
@Suite("SQLE2E: the SQL corpus through PyMySQL against tinysql-server", .serialized)
struct SQLE2ECorpusTests {
  @Test(
    "the corpus passes against tinysql-server --store tikv over a 3-store cluster",
    .enabled(
      if: ExternalClients.venvPresent || ExternalClients.onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"),
    .timeLimit(.minutes(5)))
  func corpusOverCluster() async throws {
    try #require(ExternalClients.venvPresent, "CI=true but \(ExternalClients.python) is missing")
    let cluster = try await ClientsCluster.start()
    defer { cluster.stop() }
    let server = try await SQLEndToEnd.startServer(
      overCluster: cluster.pd, directory: cluster.directory)
    defer { server.stop(signal: SIGKILL) }
    try await expectCorpusPasses(port: server.port, server: server, directory: cluster.directory)
  }

  @Test(
    "the corpus passes against tinysql-server --store local (one process)",
    .enabled(
      if: ExternalClients.venvPresent || ExternalClients.onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"),
    .timeLimit(.minutes(5)))
  func corpusOverLocalStore() async throws {
    try #require(ExternalClients.venvPresent, "CI=true but \(ExternalClients.python) is missing")
    let directory = try TemporaryDirectory("sql-corpus-local")
    let server = try await SQLEndToEnd.startLocalServer(directory: directory)
    defer { server.stop(signal: SIGKILL) }
    try await expectCorpusPasses(port: server.port, server: server, directory: directory)
  }

  /// Runs slt_runner.py over the whole corpus and expects exit status 0; prints its summary
  /// (and every failure it reported).
  private func expectCorpusPasses(port: Int, server: ServerProcess, directory: TemporaryDirectory)
    async throws
  {
    let outcome = try await SQLEndToEnd.python(
      "slt_runner.py",
      [
        "--host", "127.0.0.1", "--port", "\(port)", "--user", "root", "--known-gaps",
        SQLEndToEnd.corpus.appendingPathComponent("known-gaps.txt").path, SQLEndToEnd.corpus.path,
      ],
      directory: directory, log: "slt_runner.log", timeout: .seconds(240))
    let summary = outcome.output.split(separator: "\n")
      .filter { $0.contains(" passed, ") || $0.contains(" files, ") }
      .joined(separator: "\n")
    print("slt_runner.py against port \(port): exit \(outcome.status)\n\(summary)")
    #expect(server.isRunning, "tinysql-server exited:\n\(SQLEndToEnd.tail(server))")
    #expect(
      outcome.status == 0,
      """
      slt_runner.py exited with \(outcome.status):
      \(outcome.output.suffix(12000))
      \(SQLEndToEnd.tail(server))
      """)
  }
}
