import Testing

@testable import SQLParser

/// `CREATE TABLE`: columns, types, options, indexes, table options.
@Suite struct CreateTableTests {
  private func create(_ sql: String) throws -> CreateTableStatement {
    guard case .createTable(let create) = try statement(sql) else { throw ParseError.emptyQuery }
    return create
  }

  private func type(_ text: String) throws -> DataType {
    try create("CREATE TABLE t (c \(text))").columns[0].type
  }

  @Test("a table with column options, indexes and table options")
  func fullTable() throws {
    let parsed = try create(
      """
      CREATE TABLE IF NOT EXISTS db.t (
        id BIGINT(20) UNSIGNED NOT NULL AUTO_INCREMENT COMMENT 'the id',
        name VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT '' NOT NULL,
        score DECIMAL(10,2) DEFAULT -1.5,
        created TIMESTAMP(3) NULL DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3),
        PRIMARY KEY (id),
        UNIQUE KEY uk_name (name(10) DESC),
        KEY idx_score USING BTREE (score) COMMENT 'by score',
        CONSTRAINT c UNIQUE (score, name)
      ) ENGINE=InnoDB AUTO_INCREMENT=42 DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin COMMENT='a table'
      """)
    #expect(parsed.table == TableName(schema: "db", name: "t"))
    #expect(parsed.ifNotExists)
    #expect(parsed.columns.map(\.name) == ["id", "name", "score", "created"])
    #expect(
      parsed.columns[0]
        == ColumnDefinition(
          name: "id", type: DataType(.bigInt, length: 20, isUnsigned: true),
          options: [.notNull, .autoIncrement, .comment("the id")]))
    #expect(
      parsed.columns[0].isNotNull && parsed.columns[0].isAutoIncrement
        && parsed.columns[0].comment == "the id")
    #expect(
      parsed.columns[1].type
        == DataType(.varChar, length: 64, charset: "utf8mb4", collation: "utf8mb4_bin"))
    #expect(parsed.columns[1].defaultValue == str(""))
    #expect(parsed.columns[2].defaultValue == .unary(.minus, .literal(.decimal("1.5"))))
    #expect(
      parsed.columns[3].options == [
        .null, .defaultValue(call("current_timestamp", int(3))),
        .onUpdate(call("current_timestamp", int(3))),
      ])
    #expect(!parsed.columns[3].isNotNull)
    #expect(
      parsed.indexes == [
        IndexDefinition(kind: .primaryKey, columns: [IndexColumn(name: "id")]),
        IndexDefinition(
          kind: .unique, name: "uk_name",
          columns: [IndexColumn(name: "name", length: 10, descending: true)]),
        IndexDefinition(
          kind: .index, name: "idx_score", columns: [IndexColumn(name: "score")],
          options: IndexOptions(indexType: "BTREE", comment: "by score")),
        IndexDefinition(
          kind: .unique, name: "c",
          columns: [IndexColumn(name: "score"), IndexColumn(name: "name")]),
      ])
    #expect(
      parsed.options == [
        .engine("InnoDB"), .autoIncrement(42), .charset("utf8mb4"), .collate("utf8mb4_bin"),
        .comment("a table"),
      ])
  }

  @Test("column-level keys: PRIMARY KEY, KEY alone, UNIQUE [KEY]")
  func columnKeys() throws {
    let parsed = try create(
      "CREATE TABLE t (a INT KEY, b INT PRIMARY KEY, c INT UNIQUE, d INT UNIQUE KEY)")
    #expect(
      parsed.columns.map(\.options) == [[.primaryKey], [.primaryKey], [.uniqueKey], [.uniqueKey]])
    #expect(parsed.columns[0].isPrimaryKey && parsed.columns[2].isUnique)
  }

  @Test("integer types: display widths, UNSIGNED, SIGNED, ZEROFILL, BOOL, synonyms")
  func integerTypes() throws {
    #expect(try type("TINYINT") == DataType(.tinyInt))
    #expect(try type("SMALLINT(6) SIGNED") == DataType(.smallInt, length: 6))
    #expect(try type("MEDIUMINT UNSIGNED") == DataType(.mediumInt, isUnsigned: true))
    #expect(
      try type("INT(11) ZEROFILL") == DataType(.int, length: 11, isUnsigned: true, isZerofill: true)
    )
    #expect(try type("INTEGER") == DataType(.int))
    #expect(try type("BIGINT UNSIGNED") == DataType(.bigInt, isUnsigned: true))
    #expect(try type("INT8") == DataType(.bigInt))
    #expect(try type("BOOL") == DataType(.tinyInt, length: 1))
    #expect(try type("BOOLEAN") == DataType(.tinyInt, length: 1))
    #expect(try type("BIT(8)") == DataType(.bit, length: 8))
  }

  @Test("decimal and floating-point types")
  func numericTypes() throws {
    #expect(try type("DECIMAL") == DataType(.decimal))
    #expect(try type("DECIMAL(10)") == DataType(.decimal, length: 10))
    #expect(
      try type("NUMERIC(10,2) UNSIGNED")
        == DataType(.decimal, length: 10, decimals: 2, isUnsigned: true))
    #expect(try type("FLOAT") == DataType(.float))
    #expect(try type("FLOAT(7,3)") == DataType(.float, length: 7, decimals: 3))
    #expect(try type("FLOAT(30)") == DataType(.double))
    #expect(try type("FLOAT(10)") == DataType(.float))
    #expect(try type("DOUBLE PRECISION") == DataType(.double))
    #expect(try type("DOUBLE(16,4)") == DataType(.double, length: 16, decimals: 4))
    #expect(try type("REAL") == DataType(.double))
  }

  @Test("string, binary, text and blob types with character sets and collations")
  func stringTypes() throws {
    #expect(try type("CHAR") == DataType(.char))
    #expect(try type("CHAR(10) BINARY") == DataType(.char, length: 10, binaryCollation: true))
    #expect(try type("CHARACTER VARYING(20)") == DataType(.varChar, length: 20))
    #expect(
      try type("VARCHAR(255) CHARSET latin1") == DataType(.varChar, length: 255, charset: "latin1"))
    #expect(try type("NVARCHAR(5)") == DataType(.varChar, length: 5, charset: "utf8"))
    #expect(try type("NATIONAL CHAR(2)") == DataType(.char, length: 2, charset: "utf8"))
    #expect(try type("BINARY(16)") == DataType(.binary, length: 16))
    #expect(try type("VARBINARY(100)") == DataType(.varBinary, length: 100))
    #expect(
      try type("TEXT COLLATE utf8mb4_general_ci")
        == DataType(.text, collation: "utf8mb4_general_ci"))
    #expect(try type("TINYTEXT") == DataType(.tinyText))
    #expect(try type("MEDIUMTEXT") == DataType(.mediumText))
    #expect(try type("LONGTEXT CHARACTER SET utf8mb4") == DataType(.longText, charset: "utf8mb4"))
    #expect(try type("TINYBLOB") == DataType(.tinyBlob))
    #expect(try type("BLOB(1024)") == DataType(.blob, length: 1024))
    #expect(try type("MEDIUMBLOB") == DataType(.mediumBlob))
    #expect(try type("LONGBLOB") == DataType(.longBlob))
    #expect(
      try type("ENUM('a', 'b') CHARACTER SET utf8")
        == DataType(.enumeration, charset: "utf8", elements: ["a", "b"]))
    #expect(try type("SET('x')") == DataType(.set, elements: ["x"]))
    #expect(try type("JSON") == DataType(.json))
    #expect(
      try type("VARCHAR(10) NOT NULL COLLATE utf8_bin")
        == DataType(.varChar, length: 10, collation: "utf8_bin"))
    #expect(!parses("CREATE TABLE t (a VARCHAR)"))
    #expect(!parses("CREATE TABLE t (a VARBINARY)"))
  }

  @Test("date and time types with fractional digits")
  func temporalTypes() throws {
    #expect(try type("DATE") == DataType(.date))
    #expect(try type("DATETIME") == DataType(.dateTime))
    #expect(try type("DATETIME(6)") == DataType(.dateTime, length: 6))
    #expect(try type("TIMESTAMP(3)") == DataType(.timestamp, length: 3))
    #expect(try type("TIME(2)") == DataType(.time, length: 2))
    #expect(try type("YEAR") == DataType(.year))
  }

  @Test("defaults: literals, signed numbers, NULL, current time, expressions")
  func defaults() throws {
    let parsed = try create(
      "CREATE TABLE t (a INT DEFAULT 0, b INT DEFAULT -1, c INT DEFAULT +2, d VARCHAR(5) DEFAULT NULL, e DATETIME DEFAULT NOW(), f TIMESTAMP DEFAULT CURRENT_TIMESTAMP, g INT DEFAULT (1 + 1), h BIT(1) DEFAULT b'1', i BOOL DEFAULT TRUE)"
    )
    #expect(
      parsed.columns.map(\.defaultValue) == [
        int(0), .unary(.minus, int(1)), int(2), .literal(.null), call("now"),
        call("current_timestamp"),
        bin(.add, int(1), int(1)), .literal(.bit([1])), .literal(.boolean(true)),
      ])
    #expect(!parses("CREATE TABLE t (a INT DEFAULT b)"))
    #expect(!parses("CREATE TABLE t (a INT DEFAULT 1 + 1)"))
    #expect(!parses("CREATE TABLE t (a TIMESTAMP ON UPDATE 1)"))
  }

  @Test("CREATE TABLE ... LIKE, with and without parentheses; malformed tables")
  func likeAndErrors() throws {
    #expect(
      try statement("CREATE TABLE t LIKE db.u")
        == .createTableLike(
          CreateTableLikeStatement(
            table: TableName(name: "t"), source: TableName(schema: "db", name: "u"))))
    #expect(
      try statement("CREATE TABLE IF NOT EXISTS t (LIKE u)")
        == .createTableLike(
          CreateTableLikeStatement(
            table: TableName(name: "t"), ifNotExists: true, source: TableName(name: "u"))))
    for sql in [
      "CREATE", "CREATE TABLE", "CREATE TABLE foo (", "CREATE TABLE foo ()",
      "CREATE TABLE foo.* (a INT)",
      "CREATE TABLE foo (a bytes)", "CREATE TABLE (a INT)", "CREATE TABLE t (a INT, KEY ())",
      "CREATE TABLE foo (a.b, b)", "CREATE TABLE t (row INT)",
      "CREATE TABLE t (a INT, CONSTRAINT c KEY (a))",
    ] {
      #expect(!parses(sql), "\(sql)")
    }
  }
}

/// The other DDL statements.
@Suite struct DDLStatementTests {
  @Test("CREATE DATABASE and CREATE SCHEMA with options; DROP DATABASE")
  func databases() throws {
    #expect(
      try statement(
        "CREATE DATABASE IF NOT EXISTS d DEFAULT CHARACTER SET = utf8mb4 COLLATE utf8mb4_bin")
        == .createDatabase(
          CreateDatabaseStatement(
            name: "d", ifNotExists: true, options: [.charset("utf8mb4"), .collate("utf8mb4_bin")])))
    #expect(
      try statement("CREATE SCHEMA d CHARSET latin1")
        == .createDatabase(CreateDatabaseStatement(name: "d", options: [.charset("latin1")])))
    #expect(
      try statement("DROP SCHEMA IF EXISTS d")
        == .dropDatabase(DropDatabaseStatement(name: "d", ifExists: true)))
    #expect(
      try statement("create database 123test")
        == .createDatabase(CreateDatabaseStatement(name: "123test")))
    #expect(!parses("CREATE DATABASE IF EXISTS d"))
    #expect(!parses("DROP DATABASE IF NOT EXISTS d"))
    #expect(!parses("CREATE DATABASE 123"))
  }

  @Test("DROP TABLE lists, TRUNCATE, RENAME TABLE")
  func tables() throws {
    #expect(
      try statement("DROP TABLES IF EXISTS a, db.b CASCADE")
        == .dropTable(
          DropTableStatement(
            tables: [TableName(name: "a"), TableName(schema: "db", name: "b")], ifExists: true)))
    #expect(try statement("TRUNCATE t") == .truncateTable(TableName(name: "t")))
    #expect(
      try statement("TRUNCATE TABLE db.t") == .truncateTable(TableName(schema: "db", name: "t")))
    #expect(
      try statement("RENAME TABLE a TO b, c TO db.d")
        == .renameTable(
          RenameTableStatement(renames: [
            TableRename(from: TableName(name: "a"), to: TableName(name: "b")),
            TableRename(from: TableName(name: "c"), to: TableName(schema: "db", name: "d")),
          ])))
    #expect(!parses("DROP TABLE"))
  }

  @Test("CREATE [UNIQUE] INDEX and DROP INDEX")
  func indexes() throws {
    #expect(
      try statement("CREATE UNIQUE INDEX i USING HASH ON db.t (a, b(4) DESC) COMMENT 'x' INVISIBLE")
        == .createIndex(
          CreateIndexStatement(
            table: TableName(schema: "db", name: "t"),
            index: IndexDefinition(
              kind: .unique, name: "i",
              columns: [
                IndexColumn(name: "a"), IndexColumn(name: "b", length: 4, descending: true),
              ],
              options: IndexOptions(indexType: "HASH", comment: "x", isInvisible: true)))))
    #expect(
      try statement("CREATE INDEX i ON t (a)")
        == .createIndex(
          CreateIndexStatement(
            table: TableName(name: "t"),
            index: IndexDefinition(kind: .index, name: "i", columns: [IndexColumn(name: "a")]))))
    #expect(
      try statement("DROP INDEX i ON db.`tb-ttb`")
        == .dropIndex(DropIndexStatement(name: "i", table: TableName(schema: "db", name: "tb-ttb")))
    )
  }

  @Test("ALTER TABLE: every spec, comma-separated")
  func alterTable() throws {
    let parsed = try statement(
      """
      ALTER TABLE t ADD COLUMN a INT FIRST, ADD b VARCHAR(10) NOT NULL AFTER a, ADD (c INT, d INT),
        DROP COLUMN e, DROP f, ADD INDEX i (a), ADD UNIQUE KEY u (b), ADD PRIMARY KEY (a),
        ADD CONSTRAINT k UNIQUE (c), DROP INDEX i, DROP KEY j, DROP PRIMARY KEY,
        MODIFY COLUMN a BIGINT AFTER b, CHANGE b bb TEXT FIRST, ALTER COLUMN c SET DEFAULT 5,
        ALTER d DROP DEFAULT, RENAME COLUMN c TO cc, RENAME INDEX u TO uu, RENAME KEY v TO vv,
        ENGINE = InnoDB AUTO_INCREMENT = 100, RENAME TO db.t2
      """)
    let int = DataType(.int)
    #expect(
      parsed
        == .alterTable(
          AlterTableStatement(
            table: TableName(name: "t"),
            specs: [
              .addColumn(ColumnDefinition(name: "a", type: int), position: .first),
              .addColumn(
                ColumnDefinition(
                  name: "b", type: DataType(.varChar, length: 10), options: [.notNull]),
                position: .after("a")),
              .addColumns([
                ColumnDefinition(name: "c", type: int), ColumnDefinition(name: "d", type: int),
              ]),
              .dropColumn("e"), .dropColumn("f"),
              .addIndex(
                IndexDefinition(kind: .index, name: "i", columns: [IndexColumn(name: "a")])),
              .addIndex(
                IndexDefinition(kind: .unique, name: "u", columns: [IndexColumn(name: "b")])),
              .addIndex(IndexDefinition(kind: .primaryKey, columns: [IndexColumn(name: "a")])),
              .addIndex(
                IndexDefinition(kind: .unique, name: "k", columns: [IndexColumn(name: "c")])),
              .dropIndex("i"), .dropIndex("j"), .dropPrimaryKey,
              .modifyColumn(
                ColumnDefinition(name: "a", type: DataType(.bigInt)), position: .after("b")),
              .changeColumn(
                "b", ColumnDefinition(name: "bb", type: DataType(.text)), position: .first),
              .setDefault("c", SQLParserTests.int(5)), .dropDefault("d"),
              .renameColumn("c", to: "cc"), .renameIndex("u", to: "uu"),
              .renameIndex("v", to: "vv"),
              .options([.engine("InnoDB"), .autoIncrement(100)]),
              .rename(TableName(schema: "db", name: "t2")),
            ])))
    #expect(
      try statement("ALTER TABLE t RENAME AS u")
        == .alterTable(
          AlterTableStatement(table: TableName(name: "t"), specs: [.rename(TableName(name: "u"))])))
    #expect(!parses("ALTER TABLE t ADD INDEX ()"))
    #expect(!parses("ALTER TABLE t DROP INDEX"))
    #expect(!parses("ALTER TABLE t"))
  }
}
