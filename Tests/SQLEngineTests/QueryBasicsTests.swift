import Testing

/// First statements end to end through a session over an in-process store.
@Suite struct QueryBasicsTests {
  @Test("SELECT without FROM: literals, arithmetic, functions")
  func selectWithoutFrom() async throws {
    let db = try SQLTestDatabase()
    #expect(try await db.rows("SELECT 1, 1 + 2 * 3, 'a', NULL") == [["1", "7", "a", nil]])
    #expect(
      try await db.rows("SELECT CONCAT('a', 'b'), LENGTH('abc'), IF(1 > 2, 'x', 'y')") == [
        ["ab", "3", "y"]
      ])
  }

  @Test("create, insert, select with a filter, an aggregate and a join")
  func tablesRoundTrip() async throws {
    let db = try SQLTestDatabase()
    try await db.exec("CREATE DATABASE shop")
    try await db.exec("USE shop")
    try await db.exec("CREATE TABLE items (id INT PRIMARY KEY, name VARCHAR(20), price DOUBLE)")
    try await db.exec("INSERT INTO items VALUES (1, 'pen', 1.5), (2, 'book', 12), (3, 'ink', 3)")
    #expect(
      try await db.rows("SELECT name FROM items WHERE price > 2 ORDER BY id") == [
        ["book"], ["ink"],
      ])
    #expect(try await db.rows("SELECT COUNT(*), SUM(price) FROM items") == [["3", "16.5"]])
    try await db.exec("CREATE TABLE orders (id INT PRIMARY KEY, item INT, qty INT)")
    try await db.exec("INSERT INTO orders VALUES (10, 1, 2), (11, 2, 1), (12, 1, 5)")
    #expect(
      try await db.rows(
        "SELECT i.name, SUM(o.qty) FROM orders o JOIN items i ON o.item = i.id GROUP BY i.name ORDER BY i.name"
      ) == [["book", "1"], ["pen", "7"]])
    #expect(await db.error("INSERT INTO items VALUES (1, 'dup', 0)")?.code == 1062)
    #expect(await db.error("SELECT nope FROM items")?.code == 1054)
    #expect(await db.error("SELECT * FROM missing")?.code == 1146)
  }

  @Test("long chains: 300 ORs run (balanced, pushed down); a 1000-term sum is refused, not a crash")
  func longChains() async throws {
    let db = try SQLTestDatabase()
    try await db.exec(
      "CREATE DATABASE c; USE c; CREATE TABLE t (id INT PRIMARY KEY, a INT); INSERT INTO t VALUES (1, 1), (2, 2), (3, 3)"
    )
    let ors = (0..<300).map { "a = \($0)" }.joined(separator: " OR ")
    #expect(try await db.rows("SELECT COUNT(*) FROM t WHERE \(ors)") == [["3"]])
    #expect(try await db.rows("SELECT COUNT(*) FROM t WHERE NOT (\(ors))") == [["0"]])
    let sum = "SELECT " + Array(repeating: "1", count: 200).joined(separator: " + ")
    #expect(try await db.rows(sum) == [["200"]])
    let deep = "SELECT " + Array(repeating: "1", count: 1000).joined(separator: " + ")
    #expect(await db.error(deep) != nil)
    #expect(await db.error(deep + " FROM t") != nil)
    #expect(try await db.rows("SELECT 1") == [["1"]])
  }
}
