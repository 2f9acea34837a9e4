import Testing

@testable import SQLParser

/// `INSERT`, `REPLACE`, `UPDATE` and `DELETE`.
@Suite struct DMLTests {
  private func insert(_ sql: String) throws -> InsertStatement {
    guard case .insert(let insert) = try statement(sql) else { throw ParseError.emptyQuery }
    return insert
  }

  @Test("INSERT ... VALUES with several rows, an empty row, DEFAULT, VALUE")
  func insertValues() throws {
    #expect(
      try insert("INSERT INTO db.t (a, b) VALUES (1, 'x'), (2, DEFAULT)")
        == InsertStatement(
          table: TableName(schema: "db", name: "t"), columns: ["a", "b"],
          source: .values([[int(1), str("x")], [int(2), .defaultValue(nil)]])))
    #expect(
      try insert("INSERT INTO foo () VALUES ()")
        == InsertStatement(table: TableName(name: "foo"), columns: [], source: .values([[]])))
    #expect(
      try insert("INSERT foo VALUE (1)")
        == InsertStatement(table: TableName(name: "foo"), source: .values([[int(1)]])))
    #expect(try insert("INSERT LOW_PRIORITY IGNORE INTO t VALUES (1)").ignore)
    #expect(!parses("INSERT INTO foo (a,) VALUES (42,)"))
    #expect(!parses("INSERT INTO foo (a, b,) VALUES (42, 314)"))
  }

  @Test("INSERT ... SET and INSERT ... SELECT, with or without parentheses")
  func insertSetAndSelect() throws {
    #expect(
      try insert("INSERT INTO t SET a = 1, b = a + 1").source
        == .set([
          Assignment(column: ColumnName(name: "a"), value: int(1)),
          Assignment(column: ColumnName(name: "b"), value: bin(.add, col("a"), int(1))),
        ]))
    let selection = Query(
      body: .select(SelectStatement(fields: [.wildcard(nil)], from: [table("u")])))
    #expect(try insert("INSERT INTO t SELECT * FROM u").source == .query(selection))
    #expect(
      try insert("INSERT INTO t (a) (SELECT * FROM u)")
        == InsertStatement(table: TableName(name: "t"), columns: ["a"], source: .query(selection)))
    #expect(try insert("INSERT INTO t (SELECT * FROM u)").columns == nil)
    #expect(!parses("INSERT INTO t (a) SET a = 1"))
  }

  @Test("ON DUPLICATE KEY UPDATE with VALUES(col)")
  func onDuplicateKey() throws {
    #expect(
      try insert(
        "INSERT INTO t (a, b) VALUES (1, 2) ON DUPLICATE KEY UPDATE b = VALUES(b) + t.b, a = 3"
      ).onDuplicateKeyUpdate
        == [
          Assignment(
            column: ColumnName(name: "b"),
            value: bin(.add, .values(ColumnName(name: "b")), col("b", "t"))),
          Assignment(column: ColumnName(name: "a"), value: int(3)),
        ])
  }

  @Test("REPLACE takes the INSERT forms")
  func replace() throws {
    #expect(
      try insert("REPLACE INTO t (a) VALUES (1)")
        == InsertStatement(
          isReplace: true, table: TableName(name: "t"), columns: ["a"], source: .values([[int(1)]]))
    )
    #expect(try insert("REPLACE t SET a = 1").isReplace)
    #expect(try insert("REPLACE INTO t SELECT 1").isReplace)
  }

  @Test("UPDATE with alias, assignments, WHERE, ORDER BY and LIMIT")
  func update() throws {
    #expect(
      try statement(
        "UPDATE IGNORE t AS x SET x.a = x.a + 1, b = DEFAULT WHERE c = ? ORDER BY d DESC LIMIT ?")
        == .update(
          UpdateStatement(
            ignore: true, table: TableName(name: "t"), alias: "x",
            assignments: [
              Assignment(
                column: ColumnName(table: TableName(name: "x"), name: "a"),
                value: bin(.add, col("a", "x"), int(1))),
              Assignment(column: ColumnName(name: "b"), value: .defaultValue(nil)),
            ],
            whereClause: bin(.equal, col("c"), .parameter(0)),
            orderBy: [OrderItem(expr: col("d"), descending: true)],
            limit: .parameter(1))))
    #expect(!parses("UPDATE t SET a = 1 LIMIT 1, 2"))
  }

  @Test("DELETE with modifiers, alias, WHERE, ORDER BY and LIMIT")
  func delete() throws {
    #expect(
      try statement(
        "DELETE LOW_PRIORITY QUICK IGNORE FROM x.y z WHERE z.a > 0 ORDER BY z.a LIMIT 1")
        == .delete(
          DeleteStatement(
            ignore: true, table: TableName(schema: "x", name: "y"), alias: "z",
            whereClause: bin(.greater, col("a", "z"), int(0)),
            orderBy: [OrderItem(expr: col("a", "z"))],
            limit: .literal(1))))
    #expect(try statement("DELETE FROM t") == .delete(DeleteStatement(table: TableName(name: "t"))))
    #expect(!parses("DELETE FROM t1.*"))
  }

  @Test("placeholders are numbered in order of appearance and counted per statement")
  func placeholders() throws {
    let prepared = try SQLParser.prepare("INSERT INTO t VALUES (?, ?), (?, 1)")
    #expect(prepared.parameterCount == 3)
    #expect(
      prepared.statement
        == .insert(
          InsertStatement(
            table: TableName(name: "t"),
            source: .values([[.parameter(0), .parameter(1)], [.parameter(2), int(1)]]))))
    let script = try SQLParser.parseScript("SELECT ? + ?; SELECT a FROM t WHERE b = ? LIMIT ?")
    #expect(script.map(\.parameterCount) == [2, 2])
    #expect(script.map(\.text) == ["SELECT ? + ?", "SELECT a FROM t WHERE b = ? LIMIT ?"])
    #expect(try SQLParser.prepare("SELECT 1").parameterCount == 0)
  }
}
