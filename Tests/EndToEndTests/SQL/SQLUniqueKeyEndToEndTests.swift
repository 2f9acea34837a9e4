import Foundation
import TestSupport
import Testing

/// Unique keys across sessions (Tests/SQLClients/sql_unique.py): many PyMySQL connections insert
/// the same unique values at the same moment through `tinysql-server` over a 3-store cluster;
/// exactly one insert of each value wins, the others end in 1062 (at once, or after a 9007
/// write conflict and a retry). Primary keys and UNIQUE secondary indexes, in autocommit and in
/// explicit transactions.
@Suite("SQLE2E: unique keys across sessions", .serialized)
struct SQLE2EUniqueKeyTests {
  @Test(
    "concurrent inserts of the same unique values: exactly one winner each",
    .enabled(
      if: ExternalClients.venvPresent || ExternalClients.onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"),
    .timeLimit(.minutes(5)))
  func oneWinnerPerValue() async throws {
    try #require(ExternalClients.venvPresent, "CI=true but \(ExternalClients.python) is missing")
    let seed = SQLEndToEnd.seed("oneWinnerPerValue")
    let cluster = try await ClientsCluster.start()
    defer { cluster.stop() }
    let server = try await SQLEndToEnd.startServer(
      overCluster: cluster.pd, directory: cluster.directory)
    defer { server.stop(signal: SIGKILL) }
    let values = SQLEndToEnd.soakSeconds == nil ? 25 : 300
    let outcome = try await SQLEndToEnd.python(
      "sql_unique.py",
      [
        "--port", "\(server.port)", "--seed", "\(seed)", "--connections", "8", "--values",
        "\(values)",
      ],
      directory: cluster.directory, log: "sql_unique.log", timeout: .seconds(600))
    print(
      outcome.output.split(separator: "\n").filter { $0.hasPrefix("unique: {") }
        .joined(separator: "\n"))
    #expect(
      outcome.status == 0,
      """
      sql_unique.py exited with \(outcome.status) (seed \(seed)):
      \(outcome.output.suffix(8000))
      \(SQLEndToEnd.tail(server))
      """)
    #expect(server.isRunning, "tinysql-server exited:\n\(SQLEndToEnd.tail(server))")
  }
}
