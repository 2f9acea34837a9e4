import Testing

/// SHOW statements and DESC: MySQL's columns, LIKE and WHERE filters.
@Suite struct ShowResultTests {
  /// A database `d` in use with two tables.
  private func database() async throws -> SQLTestDatabase {
    let db = try SQLTestDatabase()
    try await db.exec(
      """
      CREATE DATABASE d; USE d;
      CREATE TABLE users (id INT AUTO_INCREMENT PRIMARY KEY, name VARCHAR(20) NOT NULL,
        email VARCHAR(50) COMMENT 'mail', UNIQUE KEY (email), KEY name_email (name, email));
      CREATE TABLE posts (id BIGINT PRIMARY KEY, body TEXT)
      """)
    return db
  }

  /// The column names of the last result of `sql`.
  private func columns(_ db: SQLTestDatabase, _ sql: String) async throws -> [String] {
    guard case .rows(let columns, _)? = try await db.exec(sql).last else { return [] }
    return columns.map(\.name)
  }

  @Test("SHOW DATABASES and SHOW [FULL] TABLES, with LIKE and WHERE")
  func databasesAndTables() async throws {
    let db = try await database()
    try await db.exec("CREATE DATABASE other")
    #expect(try await db.rows("SHOW DATABASES") == [["d"], ["other"]])
    #expect(try await db.rows("SHOW SCHEMAS LIKE 'OTH%'") == [["other"]])
    #expect(try await db.rows("SHOW DATABASES WHERE `Database` = 'd'") == [["d"]])
    #expect(try await columns(db, "SHOW TABLES") == ["Tables_in_d"])
    #expect(try await db.rows("SHOW TABLES") == [["posts"], ["users"]])
    #expect(try await db.rows("SHOW TABLES LIKE 'u_er%'") == [["users"]])
    #expect(
      try await db.rows("SHOW FULL TABLES WHERE Tables_in_d <> 'users'") == [
        ["posts", "BASE TABLE"]
      ])
    #expect(try await db.rows("SHOW TABLES FROM other") == [])
    #expect(await db.error("SHOW TABLES FROM nope")?.code == 1049)
    try await db.exec("USE other")
    #expect(try await db.rows("SHOW TABLES IN d LIKE 'p%'") == [["posts"]])
  }

  @Test("SHOW COLUMNS, SHOW FULL COLUMNS, DESC with a column")
  func columnsOfTable() async throws {
    let db = try await database()
    #expect(
      try await columns(db, "SHOW COLUMNS FROM users") == [
        "Field", "Type", "Null", "Key", "Default", "Extra",
      ])
    #expect(
      try await db.rows("SHOW FIELDS FROM users") == [
        ["id", "int", "NO", "PRI", nil, "auto_increment"],
        ["name", "varchar(20)", "NO", "MUL", nil, ""],
        ["email", "varchar(50)", "YES", "UNI", nil, ""],
      ])
    #expect(
      try await db.rows("SHOW FULL COLUMNS FROM posts FROM d") == [
        ["id", "bigint", nil, "NO", "PRI", nil, "", "select,insert,update,references", ""],
        ["body", "text", "utf8mb4_bin", "YES", "", nil, "", "select,insert,update,references", ""],
      ])
    #expect(try await db.rows("DESC users email").map { $0[0] } == ["email"])
    #expect(
      try await db.rows("SHOW COLUMNS FROM users WHERE `Key` = 'PRI'").map { $0[0] } == ["id"])
    #expect(await db.error("DESC nope")?.code == 1146)
  }

  @Test("SHOW INDEX: MySQL's 15 columns, a row per key column")
  func indexes() async throws {
    let db = try await database()
    #expect(
      try await columns(db, "SHOW INDEX FROM users") == [
        "Table", "Non_unique", "Key_name", "Seq_in_index", "Column_name", "Collation",
        "Cardinality", "Sub_part", "Packed", "Null", "Index_type", "Comment", "Index_comment",
        "Visible", "Expression",
      ])
    #expect(
      try await db.rows("SHOW KEYS FROM users") == [
        ["users", "0", "PRIMARY", "1", "id", "A", "0", nil, nil, "", "BTREE", "", "", "YES", nil],
        [
          "users", "0", "email", "1", "email", "A", "0", nil, nil, "YES", "BTREE", "", "", "YES",
          nil,
        ],
        [
          "users", "1", "name_email", "1", "name", "A", "0", nil, nil, "", "BTREE", "", "", "YES",
          nil,
        ],
        [
          "users", "1", "name_email", "2", "email", "A", "0", nil, nil, "YES", "BTREE", "", "",
          "YES", nil,
        ],
      ])
    #expect(try await db.rows("SHOW INDEX FROM users WHERE Key_name = 'email'").count == 1)
  }

  @Test("SHOW CREATE TABLE with AUTO_INCREMENT, SHOW CREATE DATABASE")
  func createStatements() async throws {
    let db = try await database()
    try await db.exec("CREATE TABLE c (id INT AUTO_INCREMENT PRIMARY KEY) AUTO_INCREMENT=7")
    #expect(
      try await db.rows("SHOW CREATE TABLE c") == [
        [
          "c",
          "CREATE TABLE `c` (\n  `id` int NOT NULL AUTO_INCREMENT,\n  PRIMARY KEY (`id`)\n) "
            + "ENGINE=InnoDB AUTO_INCREMENT=7 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin",
        ]
      ])
    #expect(
      try await db.rows("SHOW CREATE DATABASE d") == [
        ["d", "CREATE DATABASE `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin */"]
      ])
    #expect(
      try await db.rows("SHOW CREATE SCHEMA IF NOT EXISTS d")[0][1]
        == "CREATE DATABASE /*!32312 IF NOT EXISTS*/ `d` /*!40100 DEFAULT CHARACTER SET utf8mb4 COLLATE utf8mb4_bin */"
    )
    #expect(await db.error("SHOW CREATE TABLE nope")?.code == 1146)
    #expect(await db.error("SHOW CREATE DATABASE nope")?.code == 1049)
  }

  @Test("SHOW TABLE STATUS: 18 columns, a row per table")
  func tableStatus() async throws {
    let db = try await database()
    #expect(try await columns(db, "SHOW TABLE STATUS").count == 18)
    let rows = try await db.rows("SHOW TABLE STATUS LIKE 'users'")
    #expect(rows.count == 1)
    #expect(rows.first?[0] == "users")
    #expect(rows.first?[1] == "InnoDB")
    #expect(rows.first?[10] == "1")
    #expect(try await db.rows("SHOW TABLE STATUS WHERE Name = 'posts'").first?[10] == nil)
  }

  @Test("SHOW VARIABLES and SHOW STATUS, with LIKE and WHERE")
  func variablesAndStatus() async throws {
    let db = try await database()
    #expect(try await columns(db, "SHOW VARIABLES") == ["Variable_name", "Value"])
    #expect(try await db.rows("SHOW VARIABLES LIKE 'AUTOCOMMIT'") == [["autocommit", "ON"]])
    #expect(
      try await db.rows("SHOW SESSION VARIABLES LIKE 'character\\_set\\_cl%'") == [
        ["character_set_client", "utf8mb4"]
      ])
    try await db.exec("SET autocommit = 0")
    #expect(
      try await db.rows("SHOW GLOBAL VARIABLES WHERE Variable_name = 'autocommit'") == [
        ["autocommit", "OFF"]
      ])
    #expect(
      try await db.rows("SHOW VARIABLES LIKE 'version%'").map { $0[0] } == [
        "version", "version_comment", "version_compile_os",
      ])
    #expect(
      try await db.rows("SHOW STATUS LIKE 'Threads_connected'") == [["Threads_connected", "1"]])
    #expect(
      try await db.rows("SHOW GLOBAL STATUS LIKE 'Uptime'").first.flatMap { $0[1] }.flatMap {
        Int($0)
      } != nil)
  }

  @Test("SHOW WARNINGS keeps the warnings of the statement before; LIMIT; SHOW ERRORS")
  func warnings() async throws {
    let db = try await database()
    try await db.exec("CREATE DATABASE IF NOT EXISTS d")
    #expect(try await columns(db, "SHOW WARNINGS") == ["Level", "Code", "Message"])
    #expect(
      try await db.rows("SHOW WARNINGS") == [
        ["Note", "1007", "Can't create database 'd'; database exists"]
      ])
    #expect(
      try await db.rows("SHOW WARNINGS") == [
        ["Note", "1007", "Can't create database 'd'; database exists"]
      ])
    try await db.exec("DROP TABLE IF EXISTS x, y")
    #expect(
      try await db.rows("SHOW WARNINGS LIMIT 1, 1") == [["Note", "1051", "Unknown table 'd.y'"]])
    #expect(try await db.rows("SHOW ERRORS") == [])
    try await db.exec("SELECT 1")
    #expect(try await db.rows("SHOW WARNINGS") == [])
  }

  @Test("SHOW ENGINES, CHARSET, COLLATION, PROCESSLIST")
  func serverLists() async throws {
    let db = try await database()
    #expect(try await db.rows("SHOW ENGINES").map { [$0[0], $0[1]] } == [["InnoDB", "DEFAULT"]])
    #expect(
      try await db.rows("SHOW CHARACTER SET LIKE 'utf8%'") == [
        ["utf8mb4", "UTF-8 Unicode", "utf8mb4_bin", "4"]
      ])
    #expect(try await db.rows("SHOW CHARSET").map { $0[0] } == ["binary", "utf8mb4"])
    #expect(
      try await db.rows("SHOW COLLATION WHERE Charset = 'utf8mb4'").map { [$0[0], $0[2]] } == [
        ["utf8mb4_bin", "46"]
      ])
    #expect(
      try await columns(db, "SHOW PROCESSLIST") == [
        "Id", "User", "Host", "db", "Command", "Time", "State", "Info",
      ])
    let list = try await db.rows("SHOW FULL PROCESSLIST")
    #expect(list.map { [$0[0], $0[1], $0[3]] } == [["1", "root", "d"]])
  }
}
