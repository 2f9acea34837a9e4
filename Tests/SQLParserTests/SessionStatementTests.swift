import Testing

@testable import SQLParser

/// `SET`, transactions and `USE`.
@Suite struct SessionStatementTests {
  private func assignments(_ sql: String) throws -> [SetAssignment] {
    guard case .set(let set) = try statement(sql) else { throw ParseError.emptyQuery }
    return set.assignments
  }

  @Test("SET with scopes, @@ forms, user variables, := and several assignments")
  func setVariables() throws {
    #expect(
      try assignments(
        "SET autocommit = 0, SESSION sql_mode = '', GLOBAL x = 1, LOCAL y = 2, @@global.z := 3, @@w = 4, @u = 5"
      )
        == [
          .variable(.system("autocommit", scope: nil), int(0)),
          .variable(.system("sql_mode", scope: .session), str("")),
          .variable(.system("x", scope: .global), int(1)),
          .variable(.system("y", scope: .session), int(2)),
          .variable(.system("z", scope: .global), int(3)),
          .variable(.system("w", scope: nil), int(4)),
          .variable(.user("u"), int(5)),
        ])
    #expect(!parses("SET xx.xx.xx = 666"))
  }

  @Test("a system variable's bare word, ON and DEFAULT; a user variable's word is a column")
  func setValues() throws {
    #expect(
      try assignments("SET autocommit = OFF, sql_mode = ON, x = DEFAULT, y = a + 1, @v = w")
        == [
          .variable(.system("autocommit", scope: nil), str("OFF")),
          .variable(.system("sql_mode", scope: nil), str("ON")),
          .variable(.system("x", scope: nil), .defaultValue(nil)),
          .variable(.system("y", scope: nil), bin(.add, col("a"), int(1))),
          .variable(.user("v"), col("w")),
        ])
    #expect(
      try assignments("SET sql_mode = CONCAT(@@sql_mode, ',STRICT')") == [
        .variable(
          .system("sql_mode", scope: nil),
          call("concat", .variable(.system("sql_mode", scope: nil)), str(",STRICT")))
      ])
  }

  @Test("SET NAMES and SET CHARACTER SET")
  func setNames() throws {
    #expect(try assignments("SET NAMES utf8mb4") == [.names(charset: "utf8mb4", collation: nil)])
    #expect(
      try assignments("SET NAMES 'UTF8MB4' COLLATE 'utf8mb4_bin'") == [
        .names(charset: "utf8mb4", collation: "utf8mb4_bin")
      ])
    #expect(try assignments("SET NAMES DEFAULT") == [.names(charset: nil, collation: nil)])
    #expect(
      try assignments("SET CHARACTER SET utf8, autocommit = 1") == [
        .characterSet("utf8"), .variable(.system("autocommit", scope: nil), int(1)),
      ])
    #expect(try assignments("SET CHARSET DEFAULT") == [.characterSet(nil)])
  }

  @Test("SET [GLOBAL|SESSION] TRANSACTION isolation levels and access modes")
  func setTransaction() throws {
    #expect(
      try statement("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        == .setTransaction(
          SetTransactionStatement(scope: .session, isolationLevel: .repeatableRead)))
    #expect(
      try statement("SET TRANSACTION READ ONLY, ISOLATION LEVEL READ COMMITTED")
        == .setTransaction(
          SetTransactionStatement(isolationLevel: .readCommitted, accessMode: .readOnly)))
    #expect(
      try statement("SET GLOBAL TRANSACTION ISOLATION LEVEL SERIALIZABLE")
        == .setTransaction(SetTransactionStatement(scope: .global, isolationLevel: .serializable)))
    #expect(
      try statement("SET TRANSACTION ISOLATION LEVEL READ UNCOMMITTED, READ WRITE")
        == .setTransaction(
          SetTransactionStatement(isolationLevel: .readUncommitted, accessMode: .readWrite)))
  }

  @Test("BEGIN, START TRANSACTION with characteristics, COMMIT, ROLLBACK")
  func transactions() throws {
    #expect(try statement("BEGIN") == .startTransaction(StartTransactionStatement()))
    #expect(try statement("begin work") == .startTransaction(StartTransactionStatement()))
    #expect(try statement("START TRANSACTION") == .startTransaction(StartTransactionStatement()))
    #expect(
      try statement("START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY")
        == .startTransaction(
          StartTransactionStatement(accessMode: .readOnly, withConsistentSnapshot: true)))
    #expect(
      try statement("START TRANSACTION READ WRITE")
        == .startTransaction(StartTransactionStatement(accessMode: .readWrite)))
    #expect(try statement("COMMIT WORK") == .commit)
    #expect(try statement("ROLLBACK") == .rollback)
    #expect(try SQLParser.parse("BEGIN; INSERT INTO foo VALUES (42, 3.14); COMMIT;").count == 3)
  }

  @Test("USE, ANALYZE TABLE, ADMIN SHOW DDL, KILL, DO")
  func utilities() throws {
    #expect(try statement("USE `select`") == .use("select"))
    #expect(try statement("use quote") == .use("quote"))
    #expect(!parses("USE select"))
    #expect(
      try statement("ANALYZE TABLE t, db.u")
        == .analyzeTable([TableName(name: "t"), TableName(schema: "db", name: "u")]))
    #expect(!parses("ANALYZE TABLE t.*"))
    #expect(try statement("ADMIN SHOW DDL") == .admin(.showDDL))
    #expect(
      try statement("admin show ddl jobs 20 where id = 0")
        == .admin(.showDDLJobs(count: 20, whereClause: bin(.equal, col("id"), int(0)))))
    #expect(!parses("ADMIN SHOW DDL JOBS -1"))
    #expect(try statement("KILL 12") == .kill(KillStatement(connectionID: 12)))
    #expect(
      try statement("KILL QUERY 12") == .kill(KillStatement(connectionID: 12, queryOnly: true)))
    #expect(try statement("KILL CONNECTION 3") == .kill(KillStatement(connectionID: 3)))
    #expect(try statement("DO SLEEP(1), 2") == .do([call("sleep", int(1)), int(2)]))
  }
}

/// `SHOW`, `DESCRIBE` and `EXPLAIN`.
@Suite struct ShowTests {
  private func show(_ sql: String) throws -> ShowStatement {
    guard case .show(let show) = try statement(sql) else { throw ParseError.emptyQuery }
    return show
  }

  @Test("every SHOW form, with LIKE and WHERE where taken")
  func forms() throws {
    let t = TableName(name: "t")
    let cases: [(String, ShowStatement)] = [
      ("SHOW DATABASES", ShowStatement(kind: .databases)),
      ("SHOW SCHEMAS LIKE 'a%'", ShowStatement(kind: .databases, filter: .like("a%"))),
      ("SHOW TABLES", ShowStatement(kind: .tables(full: false, database: nil))),
      (
        "SHOW FULL TABLES FROM db WHERE Table_type = 'VIEW'",
        ShowStatement(
          kind: .tables(full: true, database: "db"),
          filter: .where(bin(.equal, col("Table_type"), str("VIEW"))))
      ),
      (
        "SHOW TABLES IN db LIKE 't%'",
        ShowStatement(kind: .tables(full: false, database: "db"), filter: .like("t%"))
      ),
      ("SHOW TABLE STATUS FROM db", ShowStatement(kind: .tableStatus(database: "db"))),
      (
        "SHOW CREATE TABLE db.t",
        ShowStatement(kind: .createTable(TableName(schema: "db", name: "t")))
      ),
      (
        "SHOW CREATE DATABASE IF NOT EXISTS db",
        ShowStatement(kind: .createDatabase("db", ifNotExists: true))
      ),
      ("SHOW COLUMNS FROM t", ShowStatement(kind: .columns(t, full: false))),
      (
        "SHOW FULL FIELDS IN t FROM db LIKE 'a'",
        ShowStatement(
          kind: .columns(TableName(schema: "db", name: "t"), full: true), filter: .like("a"))
      ),
      ("SHOW INDEX FROM t", ShowStatement(kind: .indexes(t))),
      (
        "SHOW INDEXES IN t IN db", ShowStatement(kind: .indexes(TableName(schema: "db", name: "t")))
      ),
      (
        "SHOW KEYS FROM t WHERE Non_unique = 0",
        ShowStatement(kind: .indexes(t), filter: .where(bin(.equal, col("Non_unique"), int(0))))
      ),
      ("SHOW VARIABLES LIKE 'auto%'", ShowStatement(kind: .variables(nil), filter: .like("auto%"))),
      ("SHOW GLOBAL VARIABLES", ShowStatement(kind: .variables(.global))),
      (
        "SHOW SESSION STATUS WHERE Value > 0",
        ShowStatement(kind: .status(.session), filter: .where(bin(.greater, col("Value"), int(0))))
      ),
      ("SHOW STATUS", ShowStatement(kind: .status(nil))),
      ("SHOW WARNINGS", ShowStatement(kind: .warnings(nil))),
      (
        "SHOW WARNINGS LIMIT 1, 2",
        ShowStatement(kind: .warnings(Limit(count: .literal(2), offset: .literal(1))))
      ),
      ("SHOW ERRORS", ShowStatement(kind: .errors(nil))),
      ("SHOW ENGINES", ShowStatement(kind: .engines)),
      ("SHOW STORAGE ENGINES", ShowStatement(kind: .engines)),
      ("SHOW CHARSET", ShowStatement(kind: .charset)),
      ("SHOW CHARACTER SET LIKE 'utf8%'", ShowStatement(kind: .charset, filter: .like("utf8%"))),
      ("SHOW COLLATION", ShowStatement(kind: .collation)),
      ("SHOW FULL PROCESSLIST", ShowStatement(kind: .processList(full: true))),
    ]
    for (sql, expected) in cases { #expect(try show(sql) == expected, "\(sql)") }
    for sql in [
      "SHOW", "SHOW FULL DATABASES", "SHOW GLOBAL TABLES", "SHOW WARNINGS LIKE 'a'",
      "SHOW COLUMNS t", "SHOW FULL VARIABLES",
    ] {
      #expect(!parses(sql), "\(sql)")
    }
  }

  @Test("DESC, DESCRIBE and EXPLAIN of a table are SHOW COLUMNS")
  func describeTable() throws {
    let columns = ShowStatement(kind: .columns(TableName(name: "t"), full: false))
    #expect(try show("DESC t") == columns)
    #expect(try show("DESCRIBE t") == columns)
    #expect(try show("EXPLAIN t") == columns)
    #expect(
      try show("DESCRIBE db.t a")
        == ShowStatement(
          kind: .columns(TableName(schema: "db", name: "t"), full: false), filter: .like("a")))
    #expect(
      try show("DESC t 'a%'")
        == ShowStatement(kind: .columns(TableName(name: "t"), full: false), filter: .like("a%")))
  }

  @Test("EXPLAIN [ANALYZE | FORMAT = x] of queries and DML")
  func explain() throws {
    let one = Statement.select(Query(body: .select(SelectStatement(fields: [.expression(int(1))]))))
    #expect(try statement("EXPLAIN SELECT 1") == .explain(ExplainStatement(statement: one)))
    #expect(try statement("DESC SELECT 1") == .explain(ExplainStatement(statement: one)))
    #expect(try statement("EXPLAIN (SELECT 1)") == .explain(ExplainStatement(statement: one)))
    #expect(
      try statement("EXPLAIN ANALYZE SELECT 1")
        == .explain(ExplainStatement(statement: one, analyze: true)))
    #expect(
      try statement("EXPLAIN FORMAT = 'ROW' SELECT 1")
        == .explain(ExplainStatement(statement: one, format: "row")))
    #expect(
      try statement("EXPLAIN FORMAT=JSON SELECT 1")
        == .explain(ExplainStatement(statement: one, format: "json")))
    for sql in [
      "EXPLAIN INSERT INTO t VALUES (1)", "EXPLAIN REPLACE INTO t VALUES (1)",
      "EXPLAIN UPDATE t SET a = 1", "DESCRIBE DELETE FROM t",
    ] {
      guard case .explain = try statement(sql) else {
        Issue.record("\(sql) is no EXPLAIN")
        continue
      }
    }
    #expect(!parses("EXPLAIN CREATE TABLE t (a INT)"))
    #expect(!parses("EXPLAIN ANALYZE t"))
  }
}
