import Foundation
import MySQLProtocol
import SQLServer
import TestSupport
import Testing

/// Real clients, unchanged, against the server with its scripted sessions: Debian's `mysql`
/// (mariadb-client, which scripts/install-deps.sh installs) and PyMySQL (in the venv
/// scripts/tikv-clients-venv.sh makes). A missing client skips its test, except on CI
/// (`CI=true`), where it fails.
@Suite("real MySQL clients against the server", .serialized, .timeLimit(.minutes(2)))
struct ExternalClientTests {
  static let mysqlPath = ExternalClients.executable("mysql")

  /// Runs `mysql` against `port` with `arguments` after the connection's (no option files read).
  private func runMySQL(_ port: Int, _ arguments: [String]) async throws -> ExternalClients.Outcome
  {
    let mysql = try #require(
      Self.mysqlPath,
      "CI=true but no mysql on PATH: scripts/install-deps.sh installs mariadb-client")
    return try await ExternalClients.run(
      mysql, ["--no-defaults", "-h", "127.0.0.1", "-P", "\(port)"] + arguments,
      timeout: .seconds(60))
  }

  @Test(
    "mysql -e: batch and table output, a password, errors; the server serves on after",
    .enabled(
      if: mysqlPath != nil || ExternalClients.onCI,
      "no mysql client: apt-get install mariadb-client (scripts/install-deps.sh)"))
  func mysqlClient() async throws {
    try await ServerFixture.with { fixture async throws in
      let plain = try await runMySQL(
        fixture.port, ["-u", "root", "-e", "SELECT 1; SHOW DATABASES"])
      #expect(plain.status == 0, "\(plain.errors)")
      #expect(plain.output == "1\n1\nDatabase\ninformation_schema\ntest\n")

      let batch = try await runMySQL(
        fixture.port, ["-u", "root", "--batch", "-e", "SELECT NULL, 1.5, 'x'"])
      #expect(batch.status == 0, "\(batch.errors)")
      #expect(batch.output == "NULL\t1.5\tx\nNULL\t1.5\tx\n")

      let table = try await runMySQL(
        fixture.port, ["-u", "root", "--table", "-e", "SELECT 1; SHOW DATABASES"])
      #expect(table.status == 0, "\(table.errors)")
      #expect(
        table.output == """
          +---+
          | 1 |
          +---+
          | 1 |
          +---+
          +--------------------+
          | Database           |
          +--------------------+
          | information_schema |
          | test               |
          +--------------------+

          """)

      let alice = try await runMySQL(
        fixture.port, ["-u", "alice", "--password=secret", "-D", "test", "-e", "SELECT DATABASE()"])
      #expect(alice.status == 0, "\(alice.errors)")
      #expect(alice.output == "DATABASE()\ntest\n")

      let wrong = try await runMySQL(
        fixture.port, ["-u", "alice", "--password=wrong", "-e", "SELECT 1"])
      #expect(wrong.status != 0)
      #expect(
        wrong.errors.contains(
          "ERROR 1045 (28000): Access denied for user 'alice'@'127.0.0.1' (using password: YES)"),
        "\(wrong.errors)")

      let missing = try await runMySQL(fixture.port, ["-u", "root", "-e", "SELECT * FROM missing"])
      #expect(missing.status != 0)
      #expect(
        missing.errors.contains("ERROR 1146 (42S02) at line 1: Table 'test.missing' doesn't exist"),
        "\(missing.errors)")

      try await MySQLTestClient.withLogin(port: fixture.port) { client async throws in
        try await client.expectTexts("SELECT 1", [["1"]])
      }
    }
  }

  @Test(
    "PyMySQL: queries, client-side parameters, errors, autocommit, passwords",
    .enabled(
      if: ExternalClients.venvPresent || ExternalClients.onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"))
  func pyMySQL() async throws {
    try #require(
      ExternalClients.venvPresent,
      "CI=true but \(ExternalClients.python) is missing: scripts/test.sh runs scripts/tikv-clients-venv.sh first"
    )
    let script = ExternalClients.root.appendingPathComponent("Tests/SQLClients/pymysql_smoke.py")
    try await ServerFixture.with { fixture async throws in
      let outcome = try await ExternalClients.run(
        ExternalClients.python, [script.path, "\(fixture.port)"],
        environment: ["PYTHONUNBUFFERED": "1", "PYTHONDONTWRITEBYTECODE": "1"],
        timeout: .seconds(90))
      #expect(outcome.status == 0, "\(outcome.output)\(outcome.errors)")
      #expect(outcome.output.contains("pymysql_smoke: all checks passed"))
    }
  }
}
