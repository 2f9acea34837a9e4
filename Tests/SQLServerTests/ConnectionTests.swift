import MySQLProtocol
import SQLServer
import TestSupport
import Testing

/// Connections as a whole: protocol errors, the connection limit, statements running side by
/// side, `COM_RESET_CONNECTION`, and a graceful stop.
@Suite("the server's connections", .timeLimit(.minutes(1)))
struct ConnectionTests {
  @Test("a malformed command is answered with ERR 1835 and its connection closed; others go on")
  func malformed() async throws {
    try await ServerFixture.withClient { fixture, client async throws in
      try await client.send([0x19, 7], sequence: 0)  // COM_STMT_CLOSE cut short
      if let answer = try await client.readPacket() {
        let malformed = MySQLTestClient.ERR(
          code: 1835, sqlState: "HY000", message: "Malformed communication packet.")
        #expect(try MySQLTestClient.parseStatus(answer) == .error(malformed))
      }
      #expect(try await client.closedByServer())
      let id = client.greeting?.connectionID ?? 0
      try await eventually("the session to be closed") { fixture.log.all.contains("close \(id)") }
      try await MySQLTestClient.withLogin(port: fixture.port) { other async throws in
        try await other.expectTexts("SELECT 1", [["1"]])
      }
    }
  }

  @Test("a packet over the server's limit is answered with ERR 1153 and the connection closed")
  func packetTooLarge() async throws {
    try await ServerFixture.withClient({ $0.maxPacketSize = 1024 }) { _, client async throws in
      try await client.send([0x03] + Array(repeating: UInt8(ascii: "x"), count: 2000), sequence: 0)
      let answer = try MySQLTestClient.parseStatus(try await client.expectPacket())
      #expect(answer.failure?.code == 1153 && answer.failure?.sqlState == "08S01")
      #expect(try await client.closedByServer())
    }
  }

  @Test("over the connection limit a client is answered 1040 and closed; a freed slot is reused")
  func tooManyConnections() async throws {
    try await ServerFixture.with({ $0.maxConnections = 2 }) { fixture async throws in
      try await MySQLTestClient.withLogin(port: fixture.port) { first async throws in
        try await MySQLTestClient.withLogin(port: fixture.port) { _ async throws in
          try await MySQLTestClient.withConnection(port: fixture.port) { third async throws in
            let answer = try await third.expectPacket()
            #expect(
              try MySQLTestClient.parseStatus(answer)
                == .error(.init(code: 1040, sqlState: "08004", message: "Too many connections")))
            #expect(try await third.closedByServer())
          }
        }
        try await eventually("the second connection's slot to be freed") {
          fixture.server.connectionCount == 1
        }
        try await MySQLTestClient.withLogin(port: fixture.port) { again async throws in
          try await again.expectTexts("SELECT 2", [["2"]])
        }
        try await first.expectTexts("SELECT 1", [["1"]])
      }
    }
  }

  @Test("a slow statement on one connection does not hold up another")
  func concurrent() async throws {
    try await ServerFixture.withClient { fixture, slow async throws in
      try await slow.send([0x03] + Array("WAIT g".utf8), sequence: 0)
      try await eventually("the statement to wait") { fixture.gates.waiting(at: "g") == 1 }
      try await MySQLTestClient.withLogin(port: fixture.port) { other async throws in
        try await other.expectTexts("SELECT 1", [["1"]])
      }
      fixture.gates.open("g")
      #expect(try await slow.readResult(binary: false).status == .autocommit)
    }
  }

  @Test("COM_RESET_CONNECTION: a fresh session, statements gone, the database kept")
  func resetConnection() async throws {
    try await ServerFixture.withClient(database: "test") { fixture, client async throws in
      let id = client.greeting?.connectionID ?? 0
      let statement = try await client.prepare("SELECT ?").get()
      _ = try await client.query("BEGIN")
      #expect(try await client.simpleCommand([0x1F]).status == .autocommit)
      #expect(fixture.log.all.filter { $0 == "open \(id) root@127.0.0.1" }.count == 2)
      #expect(fixture.log.all.contains("close \(id)"))
      let gone = try await client.execute(statement.id, [(.int(1), .longlong)])
      #expect(gone.failure?.code == 1243)
      try await client.expectTexts("SELECT DATABASE()", [["test"]])
    }
  }

  @Test("stop: idle connections are closed at once, a running statement is answered first")
  func gracefulStop() async throws {
    try await ServerFixture.with { fixture async throws in
      try await MySQLTestClient.withLogin(port: fixture.port) { idle async throws in
        try await MySQLTestClient.withLogin(port: fixture.port) { busy async throws in
          try await busy.send([0x03] + Array("WAIT stop".utf8), sequence: 0)
          try await eventually("the statement to wait") { fixture.gates.waiting(at: "stop") == 1 }
          fixture.server.stop()
          #expect(try await idle.closedByServer())
          fixture.gates.open("stop")
          #expect(try await busy.readResult(binary: false).status == .autocommit)
          #expect(try await busy.closedByServer())
        }
      }
      try await eventually("every session to be closed") {
        fixture.log.all.filter { $0.hasPrefix("close ") }.count == 2
      }
      // New connections are refused once stopped.
      await #expect(throws: (any Error).self) {
        try await MySQLTestClient.withLogin(port: fixture.port) { _ async throws in }
      }
    }
  }
}
