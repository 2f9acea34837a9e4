import Testing

/// ALTER TABLE: columns, defaults, renames, options, several specifications in order.
@Suite struct DDLAlterTests {
  /// A database `d` in use with table `t (id INT PRIMARY KEY, a INT)` holding two rows.
  private func table() async throws -> SQLTestDatabase {
    let db = try SQLTestDatabase()
    try await db.exec("CREATE DATABASE d; USE d; CREATE TABLE t (id INT PRIMARY KEY, a INT)")
    try await db.exec("INSERT INTO t VALUES (1, 10), (2, NULL)")
    return db
  }

  @Test("ADD COLUMN: old rows read the default; NOT NULL without one reads the zero value")
  func addColumn() async throws {
    let db = try await table()
    try await db.exec("ALTER TABLE t ADD COLUMN b VARCHAR(10) DEFAULT 'new'")
    try await db.exec("ALTER TABLE t ADD c INT NOT NULL")
    try await db.exec("ALTER TABLE t ADD COLUMN (e INT, f INT DEFAULT 3)")
    try await db.exec("INSERT INTO t (id, a, c) VALUES (3, 30, 7)")
    #expect(
      try await db.rows("SELECT * FROM t ORDER BY id") == [
        ["1", "10", "new", "0", nil, "3"], ["2", nil, "new", "0", nil, "3"],
        ["3", "30", "new", "7", nil, "3"],
      ])
    try await db.exec("ALTER TABLE t ADD COLUMN z INT FIRST, ADD COLUMN y INT AFTER id")
    #expect(
      try await db.rows("DESC t").map { $0[0]! } == ["z", "id", "y", "a", "b", "c", "e", "f"])
    #expect(try await db.rows("SELECT id, a, z FROM t WHERE id = 1") == [["1", "10", nil]])
    #expect(await db.error("ALTER TABLE t ADD COLUMN a INT")?.code == 1060)
    #expect(await db.error("ALTER TABLE t ADD COLUMN g INT AFTER nope")?.code == 1054)
    #expect(await db.error("ALTER TABLE t ADD COLUMN g INT DEFAULT 'x'")?.code == 1067)
    #expect(await db.error("ALTER TABLE t ADD COLUMN g INT UNIQUE")?.code == 1235)
    #expect(await db.error("ALTER TABLE nope ADD COLUMN g INT")?.code == 1146)
  }

  @Test("DROP COLUMN: leaves its indexes (one gone with it), a unique one over duplicates 1062")
  func dropColumn() async throws {
    let db = try await table()
    try await db.exec(
      "ALTER TABLE t ADD COLUMN b INT DEFAULT 5, ADD COLUMN c INT DEFAULT 1, ADD INDEX ia (a),"
        + " ADD INDEX iab (a, b), ADD UNIQUE INDEX uca (c, a)")
    let error = await db.error("ALTER TABLE t DROP COLUMN a")
    #expect(error?.code == 1062)
    #expect(error?.message == "Duplicate entry '1' for key 't.uca'")
    #expect(
      try await db.rows("SHOW INDEX FROM t").map { $0[2]! } == [
        "PRIMARY", "ia", "iab", "iab", "uca", "uca",
      ])
    #expect(try await DDLTestStore.info(db, "d", "t").indices.count == 3)
    try await db.exec("ALTER TABLE t DROP INDEX uca")
    let before = try await DDLTestStore.info(db, "d", "t")
    try await db.exec("ALTER TABLE t DROP COLUMN a")
    #expect(
      try await db.rows("SHOW INDEX FROM t").map { [$0[2], $0[4]] } == [
        ["PRIMARY", "id"], ["iab", "b"],
      ])
    #expect(
      try await db.rows("SELECT * FROM t ORDER BY id") == [["1", "5", "1"], ["2", "5", "1"]])
    #expect(try await db.rows("SELECT id FROM t WHERE b = 5 ORDER BY id") == [["1"], ["2"]])
    for name in ["ia", "iab"] {
      let index = try #require(before.index(named: name))
      #expect(try await DDLTestStore.entries(db, before, index).isEmpty)
    }
    let after = try await DDLTestStore.info(db, "d", "t")
    let rebuilt = try #require(after.index(named: "iab"))
    #expect(try await DDLTestStore.entries(db, after, rebuilt).map(\.handle) == [1, 2])
    #expect(await db.error("ALTER TABLE t DROP COLUMN id")?.code == 1235)
    #expect(await db.error("ALTER TABLE t DROP COLUMN nope")?.code == 1091)
    try await db.exec("ALTER TABLE t DROP COLUMN b, DROP COLUMN c")
    #expect(try await db.rows("SHOW INDEX FROM t").map { $0[2] } == ["PRIMARY"])
    #expect(await db.error("ALTER TABLE t DROP COLUMN id")?.code == 1090)
  }

  @Test("MODIFY / CHANGE: widening taken, the rest refused; NOT NULL checked against the rows")
  func modifyColumn() async throws {
    let db = try await table()
    try await db.exec("ALTER TABLE t ADD COLUMN s VARCHAR(3) DEFAULT 'abc', ADD INDEX (a)")
    try await db.exec("ALTER TABLE t MODIFY a BIGINT DEFAULT 4")
    try await db.exec("ALTER TABLE t MODIFY COLUMN s VARCHAR(10)")
    try await db.exec("INSERT INTO t (id, s) VALUES (3, 'abcdefgh')")
    #expect(
      try await db.rows("SELECT id, a, s FROM t ORDER BY id") == [
        ["1", "10", "abc"], ["2", nil, "abc"], ["3", "4", "abcdefgh"],
      ])
    #expect(try await db.rows("SELECT id FROM t WHERE a = 10") == [["1"]])
    #expect(await db.error("ALTER TABLE t MODIFY a INT")?.code == 1235)
    #expect(await db.error("ALTER TABLE t MODIFY a BIGINT UNSIGNED")?.code == 1235)
    #expect(await db.error("ALTER TABLE t MODIFY s VARCHAR(5)")?.code == 1235)
    #expect(await db.error("ALTER TABLE t MODIFY s INT")?.code == 1235)
    #expect(await db.error("ALTER TABLE t MODIFY nope INT")?.code == 1054)
    // NOT NULL over a NULL: refused, and the column still takes NULL.
    #expect(await db.error("ALTER TABLE t MODIFY a BIGINT NOT NULL")?.code == 1138)
    #expect(try await db.rows("DESC t").first { $0[0] == "a" }?[2] == "YES")
    try await db.exec("INSERT INTO t (id, a) VALUES (4, NULL)")
    try await db.exec("DELETE FROM t WHERE a IS NULL")
    try await db.exec("ALTER TABLE t MODIFY a BIGINT NOT NULL")
    #expect(await db.error("INSERT INTO t (id, a) VALUES (5, NULL)")?.code == 1048)
    try await db.exec("ALTER TABLE t MODIFY a BIGINT NULL")
    try await db.exec("INSERT INTO t (id, a) VALUES (5, NULL)")
    // CHANGE renames, in the index too, and moves.
    try await db.exec("ALTER TABLE t CHANGE a amount BIGINT FIRST")
    #expect(try await db.rows("DESC t").map { $0[0]! } == ["amount", "id", "s"])
    #expect(
      try await db.rows("SHOW INDEX FROM t").map { [$0[2], $0[4]] } == [
        ["PRIMARY", "id"], ["a", "amount"],
      ])
    #expect(try await db.rows("SELECT id FROM t WHERE amount = 10") == [["1"]])
    #expect(await db.error("ALTER TABLE t CHANGE amount s INT")?.code == 1060)
  }

  @Test("SET / DROP DEFAULT, RENAME COLUMN, RENAME INDEX, AUTO_INCREMENT and COMMENT options")
  func alterMisc() async throws {
    let db = try await table()
    try await db.exec("ALTER TABLE t ALTER COLUMN a SET DEFAULT 42")
    try await db.exec("INSERT INTO t (id) VALUES (3)")
    #expect(try await db.rows("SELECT a FROM t WHERE id = 3") == [["42"]])
    #expect(await db.error("ALTER TABLE t ALTER a SET DEFAULT 'x'")?.code == 1067)
    try await db.exec("ALTER TABLE t ALTER a DROP DEFAULT")
    #expect(try await db.rows("DESC t").first { $0[0] == "a" }?[4] == nil)
    try await db.exec("ALTER TABLE t RENAME COLUMN a TO b, ADD INDEX ib (b)")
    try await db.exec("ALTER TABLE t RENAME INDEX ib TO ib2")
    #expect(
      try await db.rows("SHOW INDEX FROM t").map { [$0[2], $0[4]] } == [
        ["PRIMARY", "id"], ["ib2", "b"],
      ])
    #expect(await db.error("ALTER TABLE t RENAME INDEX nope TO x")?.code == 1176)
    #expect(await db.error("ALTER TABLE t RENAME COLUMN nope TO x")?.code == 1054)
    #expect(await db.error("ALTER TABLE t RENAME COLUMN b TO id")?.code == 1060)
    try await db.exec("CREATE TABLE s (id INT AUTO_INCREMENT PRIMARY KEY, v INT)")
    try await db.exec("ALTER TABLE s AUTO_INCREMENT = 100, COMMENT = 'counted'")
    try await db.exec("INSERT INTO s (v) VALUES (1)")
    #expect(try await db.rows("SELECT id FROM s") == [["100"]])
    let create = try await db.rows("SHOW CREATE TABLE s")[0][1]!
    #expect(create.hasSuffix("COMMENT='counted'"))
  }
}
