import Logging
import SQLServer

/// An `SQLServer` run in-process on an ephemeral port of 127.0.0.1, its sessions
/// `ScriptedSession`s that share one log and one set of gates.
struct ServerFixture: Sendable {
  let server: SQLServer
  let log: SessionLog
  let gates: Gates

  /// The port bound.
  var port: Int { server.port ?? 0 }

  /// Starts a server with `users` (and whatever `configure` changes), runs `body`, then stops
  /// the server and waits for it to end, whether `body` failed or not.
  static func with<T: Sendable>(
    users: [String: String] = ["root": "", "alice": "secret"],
    _ configure: (inout SQLServerConfiguration) -> Void = { _ in },
    _ body: (ServerFixture) async throws -> T
  ) async throws -> T {
    let log = SessionLog()
    let gates = Gates()
    var logger = Logger(label: "sql-server-test")
    logger.logLevel = .warning
    var configuration = SQLServerConfiguration(port: 0, users: users, logger: logger) { info in
      ScriptedSession(info: info, log: log, gates: gates)
    }
    configure(&configuration)
    let fixture = ServerFixture(
      server: SQLServer(configuration: configuration), log: log, gates: gates)
    try await fixture.server.start()
    let serving = Task { try await fixture.server.run() }
    do {
      let result = try await body(fixture)
      fixture.server.stop()
      try await serving.value
      return result
    } catch {
      fixture.server.stop()
      try? await serving.value
      throw error
    }
  }

  /// Starts a server as ``with(users:_:_:)`` does and runs `body` with a client logged in as
  /// root (asking for `CLIENT_DEPRECATE_EOF` when told).
  static func withClient<T: Sendable>(
    deprecateEOF: Bool = false, database: String? = nil,
    _ configure: (inout SQLServerConfiguration) -> Void = { _ in },
    _ body: (ServerFixture, MySQLTestClient) async throws -> T
  ) async throws -> T {
    try await with(configure) { fixture in
      try await MySQLTestClient.withLogin(
        port: fixture.port, database: database, deprecateEOF: deprecateEOF
      ) { client in
        try await body(fixture, client)
      }
    }
  }
}
