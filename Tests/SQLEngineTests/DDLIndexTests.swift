import Coprocessor
import Testing

@testable import SQLEngine

/// CREATE / DROP INDEX online: backfill, duplicates, concurrent writes, entries removed.
@Suite struct DDLIndexTests {
  /// A database `d` in use with `t (id INT PRIMARY KEY, v INT, s VARCHAR(10))` and `rows`
  /// rows: v = id % 7, s = 's<id>'.
  private func table(rows: Int) async throws -> SQLTestDatabase {
    let db = try SQLTestDatabase()
    try await db.exec(
      "CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, v INT, s VARCHAR(10))")
    var start = 1
    while start <= rows {
      let end = min(start + 499, rows)
      let values = (start...end).map { "(\($0), \($0 % 7), 's\($0)')" }.joined(separator: ", ")
      try await db.exec("INSERT INTO t VALUES \(values)")
      start = end + 1
    }
    return db
  }

  /// Checks that index `name` of `d.t` holds exactly one entry per row.
  private func expectComplete(_ db: SQLTestDatabase, _ name: String) async throws {
    let table = try await DDLTestStore.info(db, "d", "t")
    let index = try #require(table.index(named: name))
    #expect(index.state == .public)
    let entries = try await DDLTestStore.entries(db, table, index)
    let expected = try await DDLTestStore.expectedEntries(db, table, index)
    #expect(entries.count == expected.count)
    #expect(entries.map(\.handle) == expected.map(\.handle))
    #expect(
      entries.map { $0.values.map(DatumText.text) }
        == expected.map { $0.values.map(DatumText.text) })
  }

  @Test("ADD INDEX on a table with rows: backfilled, point lookups find the rows")
  func addIndexBackfills() async throws {
    let db = try await table(rows: 700)
    try await db.exec("CREATE INDEX iv ON t (v)")
    try await db.exec("ALTER TABLE t ADD UNIQUE INDEX us (s), ADD KEY (v, s)")
    try await expectComplete(db, "iv")
    try await expectComplete(db, "us")
    try await expectComplete(db, "v")
    #expect(try await db.rows("SELECT COUNT(*) FROM t WHERE v = 3") == [["100"]])
    #expect(try await db.rows("SELECT id FROM t WHERE s = 's640'") == [["640"]])
    #expect(await db.error("INSERT INTO t VALUES (701, 0, 's5')")?.code == 1062)
    #expect(await db.error("CREATE INDEX iv ON t (s)")?.code == 1061)
    #expect(await db.error("CREATE INDEX x ON t (nope)")?.code == 1072)
    #expect(await db.error("ALTER TABLE t ADD PRIMARY KEY (s)")?.code == 1068)
  }

  @Test("ADD UNIQUE INDEX over duplicates: 1062, and no index or entry left behind")
  func addUniqueOverDuplicates() async throws {
    let db = try await table(rows: 300)
    let error = await db.error("CREATE UNIQUE INDEX uv ON t (v)")
    #expect(error?.code == 1062)
    #expect(error?.message == "Duplicate entry '1' for key 't.uv'")
    let table = try await DDLTestStore.info(db, "d", "t")
    #expect(table.indices.isEmpty)
    let probe = IndexInfo(
      id: table.maxIndexID, name: "uv", columns: [IndexColumn(name: "v", offset: 1)], unique: true,
      primary: false)
    #expect(try await DDLTestStore.entries(db, table, probe).isEmpty)
    try await db.exec("CREATE INDEX uv ON t (v)")
    try await expectComplete(db, "uv")
  }

  @Test("ADD PRIMARY KEY on a table without one: a PRIMARY index; over NULLs 1138 and undone")
  func addPrimaryKey() async throws {
    let db = try await table(rows: 20)
    try await db.exec("CREATE TABLE n (a INT, b INT)")
    try await db.exec("INSERT INTO n VALUES (1, NULL), (2, 2)")
    #expect(await db.error("ALTER TABLE n ADD PRIMARY KEY (b)")?.code == 1138)
    #expect(try await db.rows("DESC n").map { [$0[2], $0[3]] } == [["YES", ""], ["YES", ""]])
    try await db.exec("ALTER TABLE n ADD PRIMARY KEY (a)")
    #expect(try await db.rows("DESC n").map { [$0[2], $0[3]] } == [["NO", "PRI"], ["YES", ""]])
    #expect(await db.error("INSERT INTO n VALUES (1, 5)")?.code == 1062)
    try await db.exec("ALTER TABLE n DROP PRIMARY KEY")
    try await db.exec("INSERT INTO n VALUES (1, 5)")
    #expect(await db.error("ALTER TABLE n DROP PRIMARY KEY")?.code == 1091)
    #expect(await db.error("ALTER TABLE t DROP PRIMARY KEY")?.code == 1235)
  }

  @Test("DROP INDEX removes the index and its entries; 1091 for an unknown one")
  func dropIndex() async throws {
    let db = try await table(rows: 50)
    try await db.exec("CREATE INDEX iv ON t (v)")
    let table = try await DDLTestStore.info(db, "d", "t")
    let index = try #require(table.index(named: "iv"))
    #expect(try await DDLTestStore.entries(db, table, index).count == 50)
    try await db.exec("DROP INDEX iv ON t")
    #expect(try await DDLTestStore.entries(db, table, index).isEmpty)
    #expect(try await db.rows("SHOW INDEX FROM t").map { $0[2] } == ["PRIMARY"])
    #expect(await db.error("DROP INDEX iv ON t")?.code == 1091)
    #expect(await db.error("ALTER TABLE t DROP KEY iv")?.code == 1091)
    try await db.exec("CREATE TABLE a (id INT AUTO_INCREMENT, KEY (id))")
    #expect(await db.error("ALTER TABLE a DROP INDEX id")?.code == 1075)
  }

  @Test("ADD INDEX while other sessions insert, update and delete: every row has its entry")
  func addIndexUnderConcurrentWrites() async throws {
    let db = try await table(rows: 2000)
    let domain = db.domain
    let writers = (0..<2).map { worker in
      Task {
        let session = Session(domain: domain, connectionID: UInt32(100 + worker))
        try await session.use("d")
        var step = 0
        while !Task.isCancelled {
          step += 1
          let id = (step * 37 + worker * 1000) % 2000 + 1
          let statement =
            switch step % 3 {
            case 0: "UPDATE t SET v = v + 1, s = 'u\(worker)\(step)' WHERE id = \(id)"
            case 1:
              "INSERT INTO t VALUES (\(10_000 + worker * 100_000 + step), \(step % 5), 'n\(worker)\(step)')"
            default: "DELETE FROM t WHERE id = \(id + 1)"
            }
          let error = await session.execute(statement).error
          // A statement cut short by the cancellation that ends the loop fails too.
          if let error, !error.isRetryable, !Task.isCancelled { throw error }
        }
      }
    }
    try await Task.sleep(for: .milliseconds(50))
    let inserted = "SELECT COUNT(*) FROM t WHERE id > 2000"
    let before = try await db.rows(inserted)[0][0].flatMap { Int($0) } ?? 0
    try await db.exec("ALTER TABLE t ADD INDEX iv (v), ADD UNIQUE INDEX us (s)")
    let after = try await db.rows(inserted)[0][0].flatMap { Int($0) } ?? 0
    for writer in writers {
      writer.cancel()
      _ = try await writer.value
    }
    // Rows came in while the indexes were built.
    #expect(after > before)
    try await expectComplete(db, "iv")
    try await expectComplete(db, "us")
    #expect(
      try await db.rows("SELECT COUNT(*) FROM t WHERE v >= 0") == db.rows("SELECT COUNT(*) FROM t"))
  }
}
