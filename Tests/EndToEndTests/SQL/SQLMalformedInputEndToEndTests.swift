import Foundation
import TestSupport
import Testing

/// Malformed input to the real `tinysql-server` (Tests/SQLClients/sql_malformed.py, raw
/// sockets): garbage and truncated packets before and after the handshake, random command
/// packets, 1 MB statements of nonsense, deeply nested and very long expressions. Each is
/// answered with an error (or a right answer) or a closed connection, and after each a fresh
/// connection runs `SELECT 1`; the server process is still running at the end.
@Suite("SQLE2E: malformed input to tinysql-server", .serialized)
struct SQLE2EMalformedInputTests {
  @Test(
    "garbage, truncated and random packets, huge and deep statements: an error or a close, and the server serves on",
    .enabled(
      if: ExternalClients.venvPresent || ExternalClients.onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"),
    .timeLimit(.minutes(5)))
  func malformedInput() async throws {
    try #require(ExternalClients.venvPresent, "CI=true but \(ExternalClients.python) is missing")
    let seed = SQLEndToEnd.seed("malformedInput")
    let directory = try TemporaryDirectory("sql-malformed")
    let server = try await SQLEndToEnd.startLocalServer(directory: directory)
    defer { server.stop(signal: SIGKILL) }
    let packets = SQLEndToEnd.soakSeconds == nil ? 200 : 5000
    let outcome = try await SQLEndToEnd.python(
      "sql_malformed.py",
      ["--port", "\(server.port)", "--seed", "\(seed)", "--random-packets", "\(packets)"],
      directory: directory, log: "sql_malformed.log", timeout: .seconds(240))
    print(outcome.output)
    #expect(
      outcome.status == 0,
      """
      sql_malformed.py exited with \(outcome.status) (seed \(seed)); see the failures above.
      \(SQLEndToEnd.tail(server))
      """)
    #expect(server.isRunning, "tinysql-server exited:\n\(SQLEndToEnd.tail(server))")
  }
}
