import Testing

/// CREATE / DROP DATABASE and TABLE, TRUNCATE, RENAME, seen through SHOW CREATE TABLE, DESC
/// and queries.
@Suite struct DDLTableTests {
  /// A database `d` in use.
  private func database() async throws -> SQLTestDatabase {
    let db = try SQLTestDatabase()
    try await db.exec("CREATE DATABASE d")
    try await db.exec("USE d")
    return db
  }

  @Test("CREATE DATABASE, IF NOT EXISTS, DROP DATABASE, errors 1007/1008")
  func databases() async throws {
    let db = try SQLTestDatabase()
    try await db.exec("CREATE DATABASE a")
    #expect(await db.error("CREATE DATABASE A")?.code == 1007)
    try await db.exec("CREATE DATABASE IF NOT EXISTS a")
    #expect(
      try await db.rows("SHOW WARNINGS") == [
        ["Note", "1007", "Can't create database 'a'; database exists"]
      ])
    #expect(try await db.rows("SHOW DATABASES LIKE 'a'") == [["a"]])
    try await db.exec("DROP DATABASE a")
    #expect(try await db.rows("SHOW DATABASES LIKE 'a'") == [])
    #expect(await db.error("DROP DATABASE a")?.code == 1008)
    try await db.exec("DROP DATABASE IF EXISTS a")
    #expect(try await db.rows("SHOW WARNINGS").first?[1] == "1008")
    #expect(await db.error("CREATE TABLE nodb.t (a INT)")?.code == 1049)
    #expect(await db.error("CREATE TABLE t (a INT)")?.code == 1046)
  }

  @Test("CREATE TABLE: SHOW CREATE TABLE in MySQL 8's text")
  func showCreateTable() async throws {
    let db = try await database()
    try await db.exec(
      """
      CREATE TABLE t (
        id INT NOT NULL AUTO_INCREMENT,
        name VARCHAR(20) NOT NULL DEFAULT 'x',
        age TINYINT UNSIGNED,
        flag BOOL DEFAULT TRUE,
        score DOUBLE DEFAULT 1.5,
        note TEXT COMMENT 'free text',
        code CHAR(4),
        PRIMARY KEY (id),
        UNIQUE KEY uk_name (name),
        KEY (age, code)
      ) ENGINE=InnoDB COMMENT='people'
      """)
    let text = try await db.rows("SHOW CREATE TABLE t")
    #expect(
      text == [
        [
          "t",
          """
          CREATE TABLE `t` (
            `id` int NOT NULL AUTO_INCREMENT,
            `name` varchar(20) NOT NULL DEFAULT 'x',
            `age` tinyint unsigned DEFAULT NULL,
            `flag` tinyint(1) DEFAULT '1',
            `score` double DEFAULT '1.5',
            `note` text COMMENT 'free text',
            `code` char(4) DEFAULT NULL,
            PRIMARY KEY (`id`),
            UNIQUE KEY `uk_name` (`name`),
            KEY `age` (`age`,`code`)
          ) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='people'
          """,
        ]
      ])
    #expect(
      try await db.rows("DESC t") == [
        ["id", "int", "NO", "PRI", nil, "auto_increment"],
        ["name", "varchar(20)", "NO", "UNI", "x", ""],
        ["age", "tinyint unsigned", "YES", "MUL", nil, ""],
        ["flag", "tinyint(1)", "YES", "", "1", ""],
        ["score", "double", "YES", "", "1.5", ""],
        ["note", "text", "YES", "", nil, ""],
        ["code", "char(4)", "YES", "", nil, ""],
      ])
  }

  @Test("integer primary key is the handle; others are a PRIMARY index with NOT NULL columns")
  func primaryKeys() async throws {
    let db = try await database()
    try await db.exec("CREATE TABLE h (id BIGINT PRIMARY KEY, v INT)")
    #expect(try await db.rows("SHOW INDEX FROM h").map { [$0[2], $0[4]] } == [["PRIMARY", "id"]])
    try await db.exec(
      "CREATE TABLE c (a VARCHAR(5), b INT, PRIMARY KEY (a, b), KEY (b), KEY b_2 (a), INDEX (b))")
    #expect(
      try await db.rows("SHOW INDEX FROM c").map { [$0[1], $0[2], $0[3], $0[4]] } == [
        ["0", "PRIMARY", "1", "a"], ["0", "PRIMARY", "2", "b"], ["1", "b", "1", "b"],
        ["1", "b_2", "1", "a"], ["1", "b_3", "1", "b"],
      ])
    #expect(
      try await db.rows("DESC c").map { [$0[0], $0[2], $0[3]] } == [
        ["a", "NO", "PRI"], ["b", "NO", "PRI"],
      ])
    try await db.exec("INSERT INTO c VALUES ('x', 1)")
    #expect(await db.error("INSERT INTO c VALUES ('x', 1)")?.code == 1062)
    #expect(await db.error("INSERT INTO c VALUES (NULL, 2)")?.code == 1048)
  }

  @Test("CREATE TABLE errors: 1050 1113 1060 1061 1068 1075 1067 1072 1171 1235 1074")
  func createErrors() async throws {
    let db = try await database()
    try await db.exec("CREATE TABLE t (a INT)")
    #expect(await db.error("CREATE TABLE t (b INT)")?.code == 1050)
    try await db.exec("CREATE TABLE IF NOT EXISTS t (b INT)")
    #expect(try await db.rows("SHOW WARNINGS") == [["Note", "1050", "Table 't' already exists"]])
    #expect(await db.error("CREATE TABLE u (a INT, A INT)")?.code == 1060)
    #expect(await db.error("CREATE TABLE u (a INT, KEY k (a), UNIQUE k (a))")?.code == 1061)
    #expect(await db.error("CREATE TABLE u (a INT PRIMARY KEY, b INT PRIMARY KEY)")?.code == 1068)
    #expect(
      await db.error("CREATE TABLE u (a INT PRIMARY KEY, b INT, PRIMARY KEY (b))")?.code == 1068)
    #expect(await db.error("CREATE TABLE u (a INT AUTO_INCREMENT)")?.code == 1075)
    #expect(
      await db.error("CREATE TABLE u (a INT AUTO_INCREMENT KEY, b INT AUTO_INCREMENT)")?.code
        == 1075)
    #expect(await db.error("CREATE TABLE u (a INT DEFAULT 'abc')")?.code == 1067)
    #expect(await db.error("CREATE TABLE u (a INT NOT NULL DEFAULT NULL)")?.code == 1067)
    #expect(await db.error("CREATE TABLE u (a VARCHAR(2) DEFAULT 'abc')")?.code == 1067)
    #expect(
      await db.error("CREATE TABLE u (a INT PRIMARY KEY AUTO_INCREMENT DEFAULT 1)")?.code == 1067)
    #expect(await db.error("CREATE TABLE u (a TEXT DEFAULT 'x')")?.code == 1101)
    #expect(await db.error("CREATE TABLE u (a INT, KEY (b))")?.code == 1072)
    #expect(await db.error("CREATE TABLE u (a INT NULL PRIMARY KEY)")?.code == 1171)
    #expect(await db.error("CREATE TABLE u (a DATETIME)")?.code == 1235)
    #expect(await db.error("CREATE TABLE u (a CHAR(256))")?.code == 1074)
    #expect(await db.error("CREATE TABLE u (a VARCHAR(20000))")?.code == 1074)
    #expect(await db.error("CREATE TABLE u (a VARCHAR(10) AUTO_INCREMENT KEY)")?.code == 1063)
    #expect(await db.error("CREATE TABLE u (a INT, KEY `PRIMARY` (a))")?.code == 1280)
    #expect(try await db.rows("SHOW TABLES") == [["t"]])
  }

  @Test("types: integers, reals, strings, DECIMAL as DOUBLE with a warning")
  func types() async throws {
    let db = try await database()
    try await db.exec(
      """
      CREATE TABLE t (a TINYINT, b SMALLINT UNSIGNED, c MEDIUMINT, d INTEGER, e BIGINT UNSIGNED,
        f BOOLEAN, g FLOAT, h DOUBLE, i REAL, j DECIMAL(10,2), k CHAR, l VARCHAR(3), m BINARY(2),
        n VARBINARY(8), o TINYTEXT, p MEDIUMTEXT, q LONGTEXT, r TINYBLOB, s BLOB, u MEDIUMBLOB,
        v LONGBLOB, w FLOAT(7,3))
      """)
    #expect(try await db.rows("SHOW WARNINGS").map { $0[1] } == ["1105"])
    #expect(
      try await db.rows("DESC t").map { $0[1]! } == [
        "tinyint", "smallint unsigned", "mediumint", "int", "bigint unsigned", "tinyint(1)",
        "float", "double", "double", "double", "char(1)", "varchar(3)", "binary(2)",
        "varbinary(8)", "tinytext", "mediumtext", "longtext", "tinyblob", "blob", "mediumblob",
        "longblob", "float(7,3)",
      ])
  }

  @Test("CREATE TABLE LIKE copies columns and keys, not the rows or the counter")
  func createLike() async throws {
    let db = try await database()
    try await db.exec(
      "CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v INT, UNIQUE (v)) AUTO_INCREMENT=50")
    try await db.exec("INSERT INTO t (v) VALUES (1)")
    try await db.exec("CREATE TABLE u LIKE t")
    #expect(try await db.rows("SELECT * FROM u") == [])
    #expect(try await db.rows("SHOW INDEX FROM u").map { $0[2] } == ["PRIMARY", "v"])
    try await db.exec("INSERT INTO u (v) VALUES (7)")
    #expect(try await db.rows("SELECT id, v FROM u") == [["1", "7"]])
    #expect(try await db.rows("SELECT id FROM t") == [["50"]])
    #expect(await db.error("CREATE TABLE u LIKE t")?.code == 1050)
    #expect(await db.error("CREATE TABLE w LIKE nope")?.code == 1146)
  }

  @Test("DROP TABLE: several, 1051 naming the missing ones and dropping none, IF EXISTS")
  func dropTables() async throws {
    let db = try await database()
    try await db.exec("CREATE TABLE t1 (a INT)")
    try await db.exec("CREATE TABLE t2 (a INT)")
    let error = await db.error("DROP TABLE t1, x, y")
    #expect(error?.code == 1051)
    #expect(error?.message == "Unknown table 'd.x,d.y'")
    #expect(try await db.rows("SHOW TABLES") == [["t1"], ["t2"]])
    try await db.exec("DROP TABLE IF EXISTS t1, x")
    #expect(try await db.rows("SHOW WARNINGS") == [["Note", "1051", "Unknown table 'd.x'"]])
    try await db.exec("DROP TABLE t2")
    #expect(try await db.rows("SHOW TABLES") == [])
    #expect(await db.error("SELECT * FROM t2")?.code == 1146)
  }

  @Test("TRUNCATE empties the table and resets AUTO_INCREMENT")
  func truncate() async throws {
    let db = try await database()
    try await db.exec("CREATE TABLE t (id INT AUTO_INCREMENT PRIMARY KEY, v VARCHAR(5), KEY (v))")
    try await db.exec("INSERT INTO t (v) VALUES ('a'), ('b'), ('c')")
    #expect(try await db.rows("SELECT MAX(id) FROM t") == [["3"]])
    try await db.exec("TRUNCATE TABLE t")
    #expect(try await db.rows("SELECT * FROM t") == [])
    try await db.exec("INSERT INTO t (v) VALUES ('z')")
    #expect(try await db.rows("SELECT id, v FROM t WHERE v = 'z'") == [["1", "z"]])
    #expect(await db.error("TRUNCATE TABLE nope")?.code == 1146)
  }

  @Test("RENAME TABLE: one, a swap, across databases; errors 1146/1050/1049")
  func renameTables() async throws {
    let db = try await database()
    try await db.exec("CREATE DATABASE e")
    try await db.exec("CREATE TABLE a (x INT)")
    try await db.exec("CREATE TABLE b (y INT)")
    try await db.exec("INSERT INTO a VALUES (1)")
    try await db.exec("RENAME TABLE a TO tmp, b TO a, tmp TO b")
    #expect(try await db.rows("SELECT * FROM b") == [["1"]])
    #expect(try await db.rows("DESC a").map { $0[0] } == ["y"])
    try await db.exec("RENAME TABLE b TO e.moved")
    #expect(try await db.rows("SELECT x FROM e.moved") == [["1"]])
    #expect(try await db.rows("SHOW TABLES") == [["a"]])
    #expect(await db.error("RENAME TABLE nope TO z")?.code == 1146)
    #expect(await db.error("RENAME TABLE a TO e.moved")?.code == 1050)
    #expect(await db.error("RENAME TABLE a TO nodb.z")?.code == 1049)
    try await db.exec("ALTER TABLE a RENAME TO c")
    #expect(try await db.rows("SHOW TABLES") == [["c"]])
  }

  @Test("ANALYZE TABLE answers a row per table")
  func analyze() async throws {
    let db = try await database()
    try await db.exec("CREATE TABLE t (a INT)")
    #expect(
      try await db.rows("ANALYZE TABLE t, nope") == [
        ["d.t", "analyze", "status", "OK"],
        ["d.nope", "analyze", "Error", "Table 'd.nope' doesn't exist"],
      ])
  }

  @Test("DROP DATABASE removes its tables' keys from the store")
  func dropDatabaseDeletesData() async throws {
    let db = try await database()
    try await db.exec("CREATE TABLE t (id INT PRIMARY KEY, v INT, KEY (v))")
    try await db.exec("INSERT INTO t VALUES (1, 10), (2, 20), (3, 30)")
    let id = try await DDLTestStore.tableID(db, "d", "t")
    #expect(try await DDLTestStore.keyCount(db, table: id) == 6)
    try await db.exec("DROP DATABASE d")
    #expect(try await DDLTestStore.keyCount(db, table: id) == 0)
    #expect(await db.error("SELECT * FROM t")?.code == 1046)
  }
}
