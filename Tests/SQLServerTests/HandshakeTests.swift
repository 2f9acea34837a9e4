import MySQLProtocol
import SQLServer
import TestSupport
import Testing

/// The connection phase over a real socket: the greeting, mysql_native_password with right and
/// wrong passwords, the auth switch, the handshake's database.
@Suite("the server's handshake", .timeLimit(.minutes(1)))
struct HandshakeTests {
  @Test("the greeting: MySQL's version, a connection id, a fresh 20-byte scramble without NUL")
  func greeting() async throws {
    try await ServerFixture.with { fixture async throws in
      let first = try await MySQLTestClient.withConnection(port: fixture.port) {
        try await $0.readGreeting()
      }
      let second = try await MySQLTestClient.withConnection(port: fixture.port) {
        try await $0.readGreeting()
      }
      #expect(first.serverVersion == "8.0.11-TinyKV-Swift")
      #expect(first.plugin == "mysql_native_password")
      #expect(first.scramble.count == 20 && !first.scramble.contains(0))
      #expect(first.scramble != second.scramble)
      #expect(first.connectionID != second.connectionID && first.connectionID != 0)
      #expect(first.capabilities == Capabilities.server)
      #expect(first.capabilities.isSuperset(of: [.multiStatements, .deprecateEOF, .pluginAuth]))
      #expect(first.status == .autocommit)
    }
  }

  @Test("the right password is let in, as are users without one")
  func rightPassword() async throws {
    try await ServerFixture.with { fixture async throws in
      let id = try await MySQLTestClient.withLogin(
        port: fixture.port, user: "alice", password: "secret"
      ) { client async throws in
        let result = try await client.query("SELECT CONNECTION_ID()")
        #expect(result.first?.texts == [["\(client.greeting?.connectionID ?? 0)"]])
        return client.greeting?.connectionID ?? 0
      }
      try await MySQLTestClient.withLogin(port: fixture.port) { client async throws in
        try await client.expectTexts("SELECT 1", [["1"]])
      }
      #expect(fixture.log.all.contains("open \(id) alice@127.0.0.1"))
    }
  }

  @Test(
    "a wrong password or an unknown user is refused with 1045 and the connection closed",
    arguments: [
      ("alice", "wrong", "Access denied for user 'alice'@'127.0.0.1' (using password: YES)"),
      ("alice", "", "Access denied for user 'alice'@'127.0.0.1' (using password: NO)"),
      ("root", "secret", "Access denied for user 'root'@'127.0.0.1' (using password: YES)"),
      ("mallory", "", "Access denied for user 'mallory'@'127.0.0.1' (using password: NO)"),
    ])
  func refused(user: String, password: String, message: String) async throws {
    try await ServerFixture.with { fixture async throws in
      try await MySQLTestClient.withConnection(port: fixture.port) { client async throws in
        _ = try await client.readGreeting()
        let verdict = try await client.authenticate(user: user, password: password)
        #expect(verdict == .error(.init(code: 1045, sqlState: "28000", message: message)))
        #expect(try await client.closedByServer())
      }
      #expect(!fixture.log.all.contains { $0.hasPrefix("open") })
    }
  }

  @Test("a client answering for another plugin is switched to mysql_native_password")
  func authSwitch() async throws {
    try await ServerFixture.with { fixture async throws in
      for (password, accepted) in [("secret", true), ("wrong", false)] {
        try await MySQLTestClient.withConnection(port: fixture.port) { client async throws in
          _ = try await client.readGreeting()
          let verdict = try await client.authenticate(
            user: "alice", password: password, plugin: "caching_sha2_password",
            answer: [UInt8](repeating: 7, count: 32))
          if accepted {
            #expect(verdict.status == .autocommit, "\(verdict)")
            try await client.expectTexts("SELECT 1", [["1"]])
          } else {
            #expect(verdict.failure?.code == 1045, "\(verdict)")
          }
        }
      }
    }
  }

  @Test("the handshake's database is used; an unknown one is refused and the connection closed")
  func database() async throws {
    try await ServerFixture.with { fixture async throws in
      try await MySQLTestClient.withLogin(port: fixture.port, database: "test") {
        client async throws in
        try await client.expectTexts("SELECT DATABASE()", [["test"]])
      }
      #expect(fixture.log.all.contains("use test"))
      try await MySQLTestClient.withConnection(port: fixture.port) { client async throws in
        _ = try await client.readGreeting()
        let verdict = try await client.authenticate(user: "root", password: "", database: "nope")
        #expect(
          verdict
            == .error(.init(code: 1049, sqlState: "42000", message: "Unknown database 'nope'")))
        #expect(try await client.closedByServer())
      }
    }
  }

  @Test("a handshake response cut short is answered with 1043 and the connection closed")
  func badHandshake() async throws {
    try await ServerFixture.with { fixture async throws in
      try await MySQLTestClient.withConnection(port: fixture.port) { client async throws in
        _ = try await client.readGreeting()
        var writer = PayloadWriter()
        writer.int4(Capabilities.protocol41.rawValue)
        writer.int4(1 << 24)
        try await client.send(writer.bytes)
        let answer = try await client.expectPacket()
        #expect(
          try MySQLTestClient.parseStatus(answer)
            == .error(.init(code: 1043, sqlState: "08S01", message: "Bad handshake")))
        #expect(try await client.closedByServer())
      }
    }
  }

  @Test("a client that never answers the greeting is disconnected after the handshake timeout")
  func handshakeTimeout() async throws {
    try await ServerFixture.with({ $0.handshakeTimeout = .milliseconds(200) }) {
      fixture async throws in
      try await MySQLTestClient.withConnection(port: fixture.port) { client async throws in
        _ = try await client.readGreeting()
        #expect(try await client.closedByServer())
      }
      try await eventually("the connection to be forgotten") {
        fixture.server.connectionCount == 0
      }
    }
  }
}
