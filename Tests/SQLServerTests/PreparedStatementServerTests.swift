import MySQLProtocol
import SQLServer
import TestSupport
import Testing

/// `COM_STMT_PREPARE`, `COM_STMT_EXECUTE` (binary rows, NULL bitmaps, types kept across
/// executes, long data), `COM_STMT_RESET` and `COM_STMT_CLOSE`.
@Suite("the server's prepared statements", .timeLimit(.minutes(1)))
struct PreparedStatementServerTests {
  @Test(
    "prepare, execute with types, execute again without them, close", arguments: [false, true])
  func echo(deprecateEOF: Bool) async throws {
    try await ServerFixture.withClient(deprecateEOF: deprecateEOF) { fixture, client async throws in
      let statement = try await client.prepare("SELECT ?, ?, ?, ?, ?").get()
      #expect(statement.parameters.count == 5 && statement.columns.isEmpty)
      #expect(statement.parameters.allSatisfy { $0.name == "?" })
      let first = try await client.execute(
        statement.id,
        [
          (.int(7), .longlong), (.null, .varString), (.bytes(Array("hé".utf8)), .varString),
          (.double(2.5), .double), (.int(-3), .tiny),
        ])
      #expect(first.columns?.map(\.type) == [.longlong, .null, .varString, .double, .longlong])
      #expect(first.rows == [[.int(7), .null, .bytes(Array("hé".utf8)), .double(2.5), .int(-3)]])
      #expect(first.status == .autocommit)
      // Types left out: the ones sent before are used; the NULLs now fall elsewhere.
      let values: [BinaryValue] = [.null, .bytes([0x79]), .null, .double(-1), .int(100)]
      let second = try await client.execute(
        statement.id, Array(zip(values, [.longlong, .varString, .varString, .double, .tiny])),
        sendTypes: false)
      #expect(second.rows == [values])
      #expect(fixture.log.all.contains("execute \(statement.id) \(values)"))

      try await client.closeStatement(statement.id)
      let closed = MySQLTestClient.ERR(
        code: 1243, sqlState: "HY000",
        message: "Unknown prepared statement handler (\(statement.id)) given to mysqld_stmt_execute"
      )
      #expect(try await client.execute(statement.id, [(.int(1), .longlong)]) == .error(closed))
      #expect(fixture.log.all.contains("close statement \(statement.id)"))
    }
  }

  @Test("binary rows write each value in its column type's width", arguments: [false, true])
  func widths(deprecateEOF: Bool) async throws {
    try await ServerFixture.withClient(deprecateEOF: deprecateEOF) { _, client async throws in
      let statement = try await client.prepare("SELECT WIDTHS").get()
      #expect(
        statement.columns.map(\.type) == [
          .tiny, .short, .long, .int24, .longlong, .float, .double, .year, .datetime,
        ])
      // The client reads each value by its column's type and checks nothing is left over.
      #expect(
        try await client.execute(statement.id, []).rows == [
          [
            .int(-1), .int(-2), .int(-3), .int(4), .int(-5), .double(1.5), .double(2.5),
            .int(2024), .bytes([0xE8, 0x07, 5, 6, 7, 8, 9]),
          ]
        ])
    }
  }

  @Test("long data goes to its parameter; COM_STMT_RESET drops what was sent")
  func longData() async throws {
    try await ServerFixture.withClient { _, client async throws in
      let statement = try await client.prepare("SELECT ?, ?").get()
      try await client.sendLongData(statement.id, parameter: 0, Array("ab".utf8))
      try await client.sendLongData(statement.id, parameter: 0, Array("cd".utf8))
      let joined = try await client.execute(
        statement.id, [(.bytes([]), .blob), (.int(1), .longlong)], longData: [0])
      #expect(joined.rows == [[.bytes(Array("abcd".utf8)), .int(1)]])

      try await client.sendLongData(statement.id, parameter: 0, Array("zz".utf8))
      var reset = PayloadWriter()
      reset.int1(0x1A)
      reset.int4(statement.id)
      #expect(try await client.simpleCommand(reset.bytes).status == .autocommit)
      let fresh = try await client.execute(
        statement.id, [(.bytes(Array("q".utf8)), .blob), (.int(2), .longlong)])
      #expect(fresh.rows == [[.bytes([0x71]), .int(2)]])
      #expect(try await client.simpleCommand([0x1A, 99, 0, 0, 0]).failure?.code == 1243)
    }
  }

  @Test("a statement failing at prepare, parameters that cannot be read, an unknown statement")
  func failures() async throws {
    try await ServerFixture.withClient { _, client async throws in
      if case .failure(let error) = try await client.prepare("SELECT * FROM missing WHERE a = ?") {
        #expect(error.code == 1146 && error.sqlState == "42S02")
      } else {
        Issue.record("prepared a statement on a missing table")
      }
      let statement = try await client.prepare("SELECT ?").get()
      // The first execute must send the types.
      let untyped = try await client.execute(
        statement.id, [(.int(1), .longlong)], sendTypes: false)
      #expect(untyped.failure?.code == 1210)
      #expect(try await client.execute(77, []).failure?.code == 1243)
      // The connection goes on.
      #expect(try await client.execute(statement.id, [(.int(5), .longlong)]).rows == [[.int(5)]])
    }
  }
}
