import MySQLProtocol
import SQLServer
import TestSupport
import Testing

/// `COM_QUERY` and the small commands, with and without `CLIENT_DEPRECATE_EOF`.
@Suite("the server's text commands", .timeLimit(.minutes(1)))
struct QueryTests {
  typealias Column = MySQLTestClient.Column

  @Test(
    "text result sets: columns, values as text, NULL, doubles as MySQL prints them",
    arguments: [false, true])
  func textResults(deprecateEOF: Bool) async throws {
    try await ServerFixture.withClient(deprecateEOF: deprecateEOF) { _, client async throws in
      #expect(
        try await client.query("SELECT 1") == [
          .rows(
            columns: [Column(name: "1", type: .longlong, flags: 129)], rows: [[.bytes([0x31])]],
            status: .autocommit)
        ])
      try await client.expectTexts("SHOW DATABASES", [["information_schema"], ["test"]])
      let mixed = try await client.query("SELECT NULL, 1.5, 'x'").first
      #expect(mixed?.columns?.map(\.type) == [.null, .double, .varString])
      #expect(mixed?.texts == [[nil, "1.5", "x"]])
      try await client.expectTexts("SELECT 1e20, 0.1, 1.5e-7", [["1e20", "0.1", "0.00000015"]])
    }
  }

  @Test("OK packets carry affected rows, the insert id, the info and the session's status")
  func okPackets() async throws {
    try await ServerFixture.withClient { _, client async throws in
      let insert = MySQLTestClient.OK(
        affectedRows: 1, lastInsertID: 42, status: .autocommit, warnings: 0, info: "Records: 1")
      #expect(try await client.query("INSERT INTO t VALUES (1)") == [.ok(insert)])
      #expect(try await client.query("BEGIN").first?.status == [.autocommit, .inTransaction])
      #expect(try await client.query("SELECT 1").first?.status == [.autocommit, .inTransaction])
      #expect(try await client.query("COMMIT").first?.status == .autocommit)
      #expect(try await client.query("SET AUTOCOMMIT = 0").first?.status == [])
    }
  }

  @Test("a failing statement is answered with its error, and the connection goes on")
  func failure() async throws {
    try await ServerFixture.withClient { _, client async throws in
      let missing = MySQLTestClient.ERR(
        code: 1146, sqlState: "42S02", message: "Table 'test.missing' doesn't exist")
      #expect(try await client.query("SELECT * FROM missing") == [.error(missing)])
      // A session's result the protocol cannot carry is an error, not a broken connection.
      let bad = MySQLTestClient.ERR(
        code: 1105, sqlState: "HY000", message: "row 2 has 2 values for 1 columns")
      #expect(try await client.query("SELECT BAD ROW") == [.error(bad)])
      try await client.expectTexts("SELECT 2", [["2"]])
    }
  }

  @Test(
    "several statements: every result but the last says more follow; a failure ends them",
    arguments: [false, true])
  func multiResults(deprecateEOF: Bool) async throws {
    try await ServerFixture.withClient(deprecateEOF: deprecateEOF) { _, client async throws in
      let three = try await client.query("SELECT 1; SHOW DATABASES; INSERT INTO t VALUES (1)")
      #expect(three.map { $0.status?.contains(.moreResultsExist) } == [true, true, false])
      #expect(three.count == 3 && three[1].texts == [["information_schema"], ["test"]])
      let failed = try await client.query("SELECT 1; SELECT * FROM missing; SELECT 2")
      #expect(failed.count == 2)
      #expect(failed.first?.status == [.autocommit, .moreResultsExist])
      #expect(failed.last?.failure?.code == 1146)
      try await client.expectTexts("SELECT 3", [["3"]])
    }
  }

  @Test("multi-statements follow the handshake and COM_SET_OPTION")
  func multiStatementsOption() async throws {
    try await ServerFixture.withClient { fixture, client async throws in
      #expect(try await client.query("SELECT 1; SELECT 2").count == 2)
      let off = try await client.simpleCommand([0x1B, 1, 0])
      #expect(
        off
          == .ok(
            .init(affectedRows: 0, lastInsertID: 0, status: .autocommit, warnings: 0, info: "")))
      #expect(try await client.query("SELECT 1; SELECT 2").first?.failure?.code == 1064)
      _ = try await client.simpleCommand([0x1B, 0, 0])
      #expect(try await client.query("SELECT 1; SELECT 2").count == 2)
      #expect(try await client.simpleCommand([0x1B, 7, 0]).failure?.code == 1047)

      // A client that did not ask for multi-statements in its handshake.
      try await MySQLTestClient.withConnection(port: fixture.port) { client async throws in
        client.capabilities.remove(.multiStatements)
        _ = try await client.readGreeting()
        _ = try await client.authenticate(user: "root", password: "")
        #expect(try await client.query("SELECT 1; SELECT 2").first?.failure?.code == 1064)
      }
    }
  }

  @Test("COM_PING, COM_INIT_DB, COM_FIELD_LIST, an unknown command", arguments: [false, true])
  func smallCommands(deprecateEOF: Bool) async throws {
    try await ServerFixture.withClient(deprecateEOF: deprecateEOF) { fixture, client async throws in
      #expect(try await client.simpleCommand([0x0E]).status == .autocommit)
      #expect(try await client.simpleCommand([0x02] + Array("db2".utf8)).status == .autocommit)
      #expect(fixture.log.all.contains("use db2"))
      try await client.expectTexts("SELECT DATABASE()", [["db2"]])
      #expect(
        try await client.simpleCommand([0x02] + Array("nope".utf8))
          == .error(.init(code: 1049, sqlState: "42000", message: "Unknown database 'nope'")))
      #expect(
        try await client.fieldList("t")
          == .success([
            Column(name: "id", type: .longlong, flags: 0),
            Column(name: "name", type: .varString, flags: 0),
          ]))
      if case .failure(let error) = try await client.fieldList("x") {
        #expect(error.code == 1146)
      } else {
        Issue.record("the field list of a missing table")
      }
      #expect(
        try await client.simpleCommand([0x05] + Array("db".utf8))
          == .error(.init(code: 1047, sqlState: "08S01", message: "Unknown command")))
      #expect(try await client.simpleCommand([0x0E]).status == .autocommit)
    }
  }

  @Test("commands sent back to back are answered in order")
  func pipelined() async throws {
    try await ServerFixture.withClient { _, client async throws in
      let queries = (1...20).map {
        PacketFramer.frame([0x03] + Array("SELECT \($0)".utf8), sequence: 0).bytes
      }
      try await client.sendRaw(queries.flatMap { $0 })
      for expected in 1...20 {
        #expect(try await client.readResult(binary: false).texts == [["\(expected)"]])
      }
    }
  }

  @Test("COM_QUIT ends the connection and closes its session")
  func quit() async throws {
    try await ServerFixture.with { fixture async throws in
      let id = try await MySQLTestClient.withLogin(port: fixture.port) { client async throws in
        try await client.send([0x01], sequence: 0)
        #expect(try await client.closedByServer())
        return client.greeting?.connectionID ?? 0
      }
      try await eventually("the session to be closed") { fixture.log.all.contains("close \(id)") }
    }
  }
}
