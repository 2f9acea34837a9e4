import Testing

/// How statements are planned, as EXPLAIN shows it: point gets, index lookups, handle ranges,
/// and what goes down to the stores (selection, partial aggregation, TopN, limit); and that
/// each path answers the same rows.
@Suite struct PlanTests {
  private func table() async throws -> SQLTestDatabase {
    let db = try SQLTestDatabase()
    try await db.exec(
      """
      CREATE DATABASE p; USE p;
      CREATE TABLE t (id INT PRIMARY KEY, k INT, name VARCHAR(10), v DOUBLE, KEY k_idx (k),
        UNIQUE KEY name_idx (name));
      INSERT INTO t VALUES (1, 10, 'a', 1.5), (2, 20, 'b', 2.5), (3, 10, 'c', 3.5),
        (4, 30, 'd', 4.5), (5, NULL, 'e', 5.5)
      """)
    return db
  }

  /// The EXPLAIN rows' operator names, indentation dropped.
  private func operators(_ db: SQLTestDatabase, _ sql: String) async throws -> [String] {
    try await db.rows("EXPLAIN " + sql).map { row in
      String((row[0] ?? "").drop { "└─├│ ".contains($0) }).split(separator: " ").first.map(
        String.init) ?? ""
    }
  }

  @Test("the integer primary key pinned: point gets, no scan")
  func pointGets() async throws {
    let db = try await table()
    #expect(
      try await operators(db, "SELECT name FROM t WHERE id = 3") == ["Projection", "Point_Get"])
    #expect(
      try await operators(db, "SELECT name FROM t WHERE id IN (1, 4)").contains("Batch_Point_Get"))
    #expect(
      try await db.rows("SELECT name FROM t WHERE id IN (4, 1, 9) ORDER BY id") == [["a"], ["d"]])
  }

  @Test("an indexed column pinned or ranged: an index lookup")
  func indexLookup() async throws {
    let db = try await table()
    let plan = try await operators(db, "SELECT name FROM t WHERE k = 10")
    #expect(plan.contains("IndexLookUp"))
    #expect(try await db.rows("SELECT name FROM t WHERE k = 10 ORDER BY id") == [["a"], ["c"]])
    #expect(try await db.rows("SELECT name FROM t WHERE k > 15 ORDER BY id") == [["b"], ["d"]])
    #expect(try await db.rows("SELECT v FROM t WHERE name = 'c'") == [["3.5"]])
    #expect(try await operators(db, "SELECT v FROM t WHERE name = 'c'").contains("IndexLookUp"))
  }

  @Test("an index holding every column read is read without its rows")
  func coveringIndex() async throws {
    let db = try await table()
    #expect(try await operators(db, "SELECT k FROM t WHERE k = 10").contains("IndexReader"))
    #expect(
      try await db.rows("SELECT k, id FROM t WHERE k >= 10 ORDER BY id") == [
        ["10", "1"], ["20", "2"], ["10", "3"], ["30", "4"],
      ])
    #expect(try await operators(db, "SELECT id, k FROM t WHERE k > 15").contains("IndexReader"))
    #expect(try await db.rows("SELECT COUNT(*) FROM t WHERE k > 15") == [["2"]])
    // A column the index lacks: the rows are fetched.
    #expect(try await operators(db, "SELECT name FROM t WHERE k = 10").contains("IndexLookUp"))
    #expect(try await operators(db, "SELECT * FROM t WHERE k = 10").contains("IndexLookUp"))
    // The transaction's own writes are merged into the entries too.
    try await db.exec("BEGIN; INSERT INTO t VALUES (9, 10, 'z', 0); DELETE FROM t WHERE id = 1")
    #expect(try await db.rows("SELECT id FROM t WHERE k = 10 ORDER BY id") == [["3"], ["9"]])
    try await db.exec("ROLLBACK")
  }

  @Test("a filter, an aggregate, a TopN and a limit go down with the table read")
  func pushDown() async throws {
    let db = try await table()
    let filtered = try await db.rows("EXPLAIN SELECT COUNT(*), SUM(v) FROM t WHERE v > 2")
    let tasks = filtered.map { ($0[0] ?? "", $0[1] ?? "") }
    #expect(tasks.contains { $0.0.contains("HashAgg") && $0.1 == "cop" })
    #expect(tasks.contains { $0.0.contains("Selection") && $0.1 == "cop" })
    #expect(try await db.rows("SELECT COUNT(*), SUM(v) FROM t WHERE v > 2") == [["4", "16"]])
    let topN = try await db.rows("EXPLAIN SELECT id FROM t ORDER BY v DESC LIMIT 2")
    #expect(topN.contains { ($0[0] ?? "").contains("TopN") && $0[1] == "cop" })
    #expect(try await db.rows("SELECT id FROM t ORDER BY v DESC LIMIT 2") == [["5"], ["4"]])
    let limit = try await db.rows("EXPLAIN SELECT id FROM t LIMIT 1, 2")
    #expect(limit.contains { ($0[0] ?? "").contains("Limit") && $0[1] == "cop" })
    #expect(try await db.rows("SELECT COUNT(*) FROM (SELECT id FROM t LIMIT 1, 2) AS x") == [["2"]])
    #expect(
      try await db.rows("SELECT k, COUNT(*) FROM t GROUP BY k ORDER BY k") == [
        [nil, "1"], ["10", "2"], ["20", "1"], ["30", "1"],
      ])
  }

  @Test("a table this transaction wrote is read with its own writes merged, nothing pushed down")
  func unionScan() async throws {
    let db = try await table()
    try await db.exec("BEGIN; INSERT INTO t VALUES (6, 10, 'f', 0.5); DELETE FROM t WHERE id = 1")
    #expect(try await operators(db, "SELECT COUNT(*) FROM t").contains("UnionScan"))
    #expect(try await db.rows("SELECT COUNT(*), MIN(v) FROM t") == [["5", "0.5"]])
    #expect(try await db.rows("SELECT id FROM t WHERE k = 10 ORDER BY id") == [["3"], ["6"]])
    try await db.exec("ROLLBACK")
    #expect(try await db.rows("SELECT COUNT(*) FROM t") == [["5"]])
  }

  @Test("two tables joined on their integer primary keys: a merge join, rows as a hash join's")
  func mergeJoin() async throws {
    let db = try await table()
    try await db.exec(
      """
      CREATE TABLE w (id INT PRIMARY KEY, note VARCHAR(5));
      INSERT INTO w VALUES (2, 'x'), (3, 'y'), (3000, 'z'), (5, 'v'), (-1, 'n')
      """)
    #expect(try await operators(db, "SELECT * FROM t JOIN w ON t.id = w.id").contains("MergeJoin"))
    #expect(
      try await db.rows("SELECT t.id, w.note FROM t JOIN w ON t.id = w.id WHERE w.note <> 'v'")
        == [["2", "x"], ["3", "y"]])
    #expect(
      try await db.rows("SELECT t.id, w.note FROM t LEFT JOIN w ON w.id = t.id")
        == [["1", nil], ["2", "x"], ["3", "y"], ["4", nil], ["5", "v"]])
    // Not on the keys: a hash join, the same rows.
    #expect(try await operators(db, "SELECT * FROM t JOIN w ON t.k = w.id").contains("HashJoin"))
  }

  @Test("joins: a hash join on the equality, a nested loop without one")
  func joins() async throws {
    let db = try await table()
    try await db.exec(
      "CREATE TABLE u (id INT PRIMARY KEY, t_id INT); INSERT INTO u VALUES (1, 3), (2, 3), (3, 9)")
    #expect(try await operators(db, "SELECT * FROM t, u WHERE t.id = u.t_id").contains("HashJoin"))
    #expect(
      try await operators(db, "SELECT * FROM t, u WHERE t.id < u.t_id").contains("NestedLoopJoin"))
    #expect(
      try await db.rows("SELECT u.id, t.name FROM u LEFT JOIN t ON t.id = u.t_id ORDER BY u.id")
        == [
          ["1", "c"], ["2", "c"], ["3", nil],
        ])
  }
}
