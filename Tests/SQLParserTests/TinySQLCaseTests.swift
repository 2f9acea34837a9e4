import Testing

@testable import SQLParser

/// Inputs from TinySQL's parser tests (parser/parser_test.go) within this parser's dialect:
/// what it accepts and what it refuses.
@Suite struct TinySQLCaseTests {
  static let accepted = [
    "", ";", "INSERT INTO foo VALUES (1234)", "INSERT INTO foo VALUES (1234, 5678)",
    "INSERT INTO t1 (SELECT * FROM t2)", "INSERT INTO foo VALUES (1 || 2)",
    "INSERT INTO foo VALUES (1 | 2)",
    "INSERT INTO foo VALUES (false || true)", "INSERT INTO foo VALUES (bar(5678))",
    "INSERT INTO foo VALUES ()",
    "SELECT * FROM t AS u, v", "SELECT * FROM foo, bar, foo", "SELECT DISTINCTROW * FROM t",
    "SELECT ALL * FROM t",
    "INSERT INTO foo () VALUES ()", "INSERT INTO foo VALUE ()",
    "INSERT INTO tt VALUES (01000001783);",
    "INSERT INTO tt VALUES (default);", "REPLACE INTO foo VALUES (1 || 2)",
    "REPLACE INTO foo () VALUES ()",
    "BEGIN;\n INSERT INTO foo VALUES (42, 3.14);\n INSERT INTO foo VALUES (-1, 2.78);\n COMMIT;",
    "BEGIN; INSERT INTO tmp SELECT * from bar; SELECT * from tmp; ROLLBACK;",
    "SELECT a.b.c FROM t", "SELECT a.b.* FROM t",
    "select * from t1 join t2 left join t3 on t2.id = t3.id",
    "select * from t1 right join t2 on t1.id = t2.id left join t3 on t3.id = t2.id",
    "DELETE from t1", "DELETE LOW_priORITY from t1", "DELETE quick from t1",
    "DELETE FROM t1 WHERE t1.a > 0 ORDER BY t1.a LIMIT 1", "DELETE FROM x.y z WHERE z.a > 0",
    "admin show ddl;", "admin show ddl jobs;", "admin show ddl jobs where id > 0;",
    "INSERT INTO t SET a=1,b=2", "select 1 from dual limit 1", "select 1 as a from dual order by a",
    "SELECT /*!40001 SQL_NO_CACHE */ * FROM test WHERE 1 limit 0, 2000;", "ANALYZE TABLE t",
    "/** 20180417 **/ show databases;", "/* 20180417 **/ show databases;",
    "SELECT ++1", "SELECT -+1", "SELECT --1", "select '''a''', \"\"\"a\"\"\"", "select '\\'a\\'';",
    "select _utf8\"string\";", "select _binary\"string\";", "select N'string'", "select n'string'",
    "select 1 <=> 0, 1 <=> null, 1 = null", "select date'1989-09-10'", "select time '00:00:00.111'",
    "SELECT POW(1, 2, 1)", "SELECT MOD(10, 2);", "SELECT CONV(10+'10'+'10'+X'0a',10,10);",
    "SELECT ABS();",
    "SELECT SUBSTR('Quadratically' FROM 5 FOR 3);", "SELECT SUBSTRING('Quadratically',5, 3);",
    "SELECT LEAST(), LEAST(1, 2, 3);", "SELECT CURRENT_USER;", "SELECT CONNECTION_ID();",
    "SELECT CHARSET('abc');", "SELECT COLLATION('abc');",
    "SELECT SUBSTRING_INDEX('www.mysql.com', '.', -2);",
    "SELECT LOWER(\"A\"), UPPER(\"a\")", "SELECT REPLACE('www.mysql.com', 'w', 'Ww')",
    "CREATE TABLE t( c1 TIME(2), c2 DATETIME(2), c3 TIMESTAMP(2) );",
    "select row(1, 1) > row(1, 1), row(1, 1, 1) > row(1, 1, 1)", "Select (1, 1) > (1, 1)",
    "create table t (`row` int)", "SELECT last_insert_id(1);", "select current_timestamp(6)",
    "select now(6)",
    "select current_time", "select utc_timestamp()",
    "SELECT CURRENT_DATE, CURRENT_DATE(), CURDATE()",
    "SELECT DATE('2003-12-31 01:02:03');", "SELECT DATE();", "SELECT DAY('2007-02-03');",
    "SELECT UTC_DATE, UTC_DATE();",
    "SELECT YEAR('2007-02-03');", "SELECT LOCALTIME(), LOCALTIME(1)",
    "SELECT LOCALTIMESTAMP(), LOCALTIMESTAMP(2)",
    "SELECT POSITION('bar' IN 'foobarbar')", "SELECT QUOTE('Don\\'t!')",
    "SELECT LEFT(\"foobar\", 3)",
    "SELECT REPEAT(\"a\", 10);", "SELECT ANY_VALUE(@arg);", "select avg(c2) from t;",
    "select count(*) from t;",
    "select `a`, `a.b`, `a b` from t",
    "create table MergeContextTest$Simple (value integer not null, primary key (value))",
    "select 1 as a, 1 as `a`, 1 as \"a\", 1 as 'a'", "select 1 a, 1 \"a\", 1 'a'",
    "select * from t a",
    "select COUNT from SELECT.DESC", "use `select`", "select 1 full, 1 `row`, 1 abs",
    "create database 123test", "create database `12``3`", "create table `123` (123a1 int)",
    "select .78+123", "select .78--123", "select .78,.21", "select .78#123",
    "insert float_test values(.67, 'string');",
    "select .78'123'", "select .78`123`", "select .78\"123\"",
    "CREATE TABLE foo (a varchar(50), b int);", "CREATE TABLE foo (a TINYINT UNSIGNED);",
    "CREATE TABLE foo (a bigint unsigned, b bool);",
    "CREATE TABLE foo (a int, b float); CREATE TABLE bar (x double, y float)",
    "CREATE TABLE foo (a SMALLINT UNSIGNED, b INT UNSIGNED) -- foo",
    "CREATE TABLE foo /* foo */ (a SMALLINT UNSIGNED) /* foo */",
    "CREATE TABLE foo (name CHAR(50) BINARY);", "CREATE TABLE foo (name CHAR(50) COLLATE utf8_bin)",
    "CREATE TABLE foo (name CHAR(50) CHARACTER SET utf8 BINARY)",
    "CREATE TABLE foo (name CHAR(50) BINARY CHARACTER SET utf8 COLLATE utf8_bin)",
    "CREATE TABLE foo (name CHAR(50) COLLATE ascii_bin PRIMARY KEY COLLATE latin1_bin)",
    "CREATE TABLE foo (pump varchar(50), b int);", "create schema if not exists xxx",
    "drop schema xxx",
    "drop tables xxx, yyy", "drop table xxx restrict", "drop table if exists xxx, yyy cascade",
    "create table t (c int KEY);", "CREATE TABLE t (a DECIMAL(20,0), b DECIMAL(30), c FLOAT(25,0))",
    "create table t (c int, index ci (c) USING BTREE COMMENT \"123\");",
    "CREATE TABLE sbtest (id INTEGER UNSIGNED NOT NULL AUTO_INCREMENT, k integer UNSIGNED DEFAULT '0' NOT NULL, c char(120) DEFAULT '' NOT NULL, pad char(60) DEFAULT '' NOT NULL, PRIMARY KEY  (id) )",
    "create table test (create_date TIMESTAMP NOT NULL COMMENT '创建日期 create date' DEFAULT now());",
    "create table ts (t int, v timestamp(3) default CURRENT_TIMESTAMP(3));",
    "create table if not exists `t` (`id` int not null auto_increment comment '消息ID', primary key `pk_id` (`id`) );",
    "create table t (a timestamp default now() on update now())",
    "ALTER TABLE t ADD COLUMN (a SMALLINT UNSIGNED, b varchar(255))",
    "ALTER TABLE t ADD COLUMN a SMALLINT UNSIGNED",
    "ALTER TABLE t MODIFY COLUMN a varchar(255)", "ALTER TABLE t CHANGE COLUMN a b varchar(255)",
    "ALTER TABLE t RENAME COLUMN a TO b", "ALTER TABLE t ALTER a SET DEFAULT 1",
    "ALTER TABLE t ALTER COLUMN a SET DEFAULT (CURRENT_TIMESTAMP())",
    "ALTER TABLE t ALTER COLUMN a DROP DEFAULT",
    "ALTER TABLE t ADD INDEX (a) USING BTREE COMMENT 'a'",
    "ALTER TABLE t ADD KEY (a) USING HASH COMMENT 'a'",
    "ALTER TABLE t ADD PRIMARY KEY ident USING RTREE ( a DESC , b   )",
    "ALTER TABLE t ADD KEY USING RTREE   ( a ) ",
    "ALTER TABLE t ADD KEY USING RTREE ( ident ASC , ident ( 123 ) )",
    "ALTER TABLE t ADD UNIQUE INDEX (a) COMMENT 'a'",
    "ALTER TABLE t DROP INDEX a", "ALTER TABLE t DROP COLUMN a CASCADE",
    "ALTER TABLE t RENAME KEY a TO b;",
    "CREATE INDEX idx ON t (a)", "CREATE UNIQUE INDEX idx ON t (a)",
    "CREATE INDEX idx ON t (a) USING HASH COMMENT 'foo'",
    "CREATE INDEX idx USING BTREE ON t (a) USING HASH COMMENT 'foo'",
    "CREATE INDEX idx ON t ( a ) INVISIBLE VISIBLE",
    "drop index a on db.`tb-ttb`", "TRUNCATE TABLE t1", "TRUNCATE t1",
    "create table a (process double)",
    "create table t (a int1, b int2, c int3, d int4, e int8)",
    "CREATE TABLE cdp_test.`test2-1` (id int(11) DEFAULT NULL,key(id));",
    "CREATE TABLE miantiao (`扁豆焖面`       INT(11));",
    "create table t (a character varying(1));", "create table t (a char varying(50));",
    "create table t (a varcharacter(1));",
    "create table t (a national character varying(50));", "create table t (a nchar varchar(50));",
    "create table t (a national varchar(50));", "create table t (a nvarchar(50));",
    "create table nchar (a int, b nchar(50));",
    "select x'0a', X'11', 0x11", "select x'13181C76734725455A'", "select 0X11",
    "select 0b01, 0b0, b'11', B'11'",
    "create table t (c1 enum('a', 'b'), c2 set('a', 'b'))",
    "create table t (c1 blob(1024), c2 text(1024))",
    "create table t (y year(4), y1 year)",
    "create table t (c1 national char(2), c2 national varchar(2))",
    "create table t (a JSON);", "select 1/* comment */", "select \"\"\"\";", "select \"汉字\";",
    "select 'a\\r\\n';",
    "select \"\\xFF\"", "explain select c1 from t1", "explain insert into t values (1), (2), (3)",
    "EXPLAIN FORMAT = 'dot' SELECT 1", "EXPLAIN FORMAT = JSON SELECT 1", "analyze table t,t1",
    "show tables;",
    "set xx = 666", "set session xx = 666", "set global xx = 666", "set @@xx = 666",
    "set @@session.xx = 666",
    "set @@global.xx = 666", "set @xx.xx = 666",
    "select @@Sql_Mode, @@`SQL_MODE`, @@session.`sql_mode`, @@global.`s ql``mode`, @@session.'sql\\nmode', @@local.\"sql\\\"mode\";",
    "select @abc, @`abc`, @'aBc', @\"AbC\", @6, @`6`, @'6', @\"6\", @@sql_mode, @@`sql_mode`",
  ]

  static let refused = [
    "SELECT DISTINCTS * FROM t", "SELECT DISTINCT ALL * FROM t", "SELECT DISTINCTROW ALL * FROM t",
    "INSERT INTO foo (a,) VALUES (42,)", "INSERT INTO foo (a,b,) VALUES (42,314)",
    "REPLACE INTO foo (a,b,) VALUES (42,314,)",
    "SELECT a.b.*.c FROM t", "SELECT a.b.c.d FROM t",
    "select * from t1 right join t2 on t1.id = t2.id left join t3",
    "DELETE from t1.*", "admin show ddl jobs -1;", "INSERT INTO t (a) SET a=1", "SELECT -*1",
    "select ''a''",
    "select \"\"a\"\"", "select date 19890910", "select time 19890910", "select timestamp 19890910",
    "select row(1)",
    "select row(1, 1,)", "select (1, 1,)", "create table t (row int)", "select max(c1,c2) from t;",
    "select count(c1, c2) from t;", "select * from t as \"a\"", "select COUNT from DESC",
    "use select",
    "select 1 full, 1 row, 1 abs", "create database 123", "create table 123 (123a1 int)",
    "select .78.123",
    "select * from t\u{0}ble", "CREATE", "CREATE TABLE", "CREATE TABLE foo (",
    "CREATE TABLE foo ()", "CREATE TABLE foo ();",
    "CREATE TABLE foo.* (a varchar(50), b int);",
    "CREATE TABLE foo (a TINYINT, b SMALLINT) CREATE TABLE bar (x INT, y int64)",
    "CREATE TABLE foo (a bytes)", "CREATE TABLE foo (a SMALLINT UNSIGNED, b INT UNSIGNED) // foo",
    "CREATE TABLE foo (name CHAR(50) CHARACTER SET utf8 BINARY CHARACTER set utf8 CHARACTER SET x COLLATE)",
    "CREATE TABLE foo (a.b, b);", "CREATE TABLE foo (a, b.c);",
    "CREATE TABLE (name CHAR(50) BINARY)",
    "create database if exists xxx", "drop database if not exists xxx", "drop table",
    "drop table if not exists xxx",
    "create table t (a timestamp default now)",
    "create table t (a timestamp default now() on update now)",
    "ALTER TABLE t.* ADD COLUMN (a SMALLINT UNSIGNED)",
    "ALTER TABLE ADD COLUMN (a SMALLINT UNSIGNED)",
    "ALTER TABLE t DROP INDEX;", "ALTER TABLE t ADD INDEX () ", "ALTER TABLE t ADD UNIQUE ()",
    "ALTER TABLE t ADD UNIQUE INDEX ()", "ALTER TABLE t ADD UNIQUE KEY ()",
    "create table t (a national varchar);",
    "create table a(a int, key(lower(a)));", "create table a(a int, key(a+1));",
    "create table t (c1 enum)",
    "create table t (c1 set)", "select x'0xaa'", "select \"\"\";", "select 1/*",
    "analyze table t1.*",
    "create table t /*!50100 'abc', 'abc' */;", "set xx.xx.xx = 666",
  ]

  @Test("TinySQL's accepted inputs parse")
  func accepted() {
    for sql in TinySQLCaseTests.accepted {
      do {
        _ = try SQLParser.parse(sql)
      } catch {
        Issue.record("\(sql): \(error)")
      }
    }
  }

  @Test("TinySQL's refused inputs are syntax errors")
  func refused() {
    for sql in TinySQLCaseTests.refused {
      #expect(parseError(sql)?.code == 1064, "\(sql)")
    }
  }

  @Test("TinySQL's checked trees: KEY on a column is a primary key, 2^63 is unsigned, SET names")
  func trees() throws {
    guard case .createTable(let create) = try statement("create table t (c int key);") else {
      throw ParseError.emptyQuery
    }
    #expect(create.columns[0].options == [.primaryKey])
    #expect(
      try expr("9223372036854775808") == .literal(.unsignedInteger(9_223_372_036_854_775_808)))
    guard
      case .insert(let insert) = try statement(
        "insert into blobtable (a) values ('/*! truncated */');")
    else {
      throw ParseError.emptyQuery
    }
    #expect(insert.source == .values([[str("/*! truncated */")]]))
    let variables = try select(
      "select @@Sql_Mode, @@`SQL_MODE`, @@session.`sql_mode`, @@global.`s ql``mode`, @@session.'sql\\nmode', @@local.\"sql\\\"mode\""
    ).fields
    #expect(
      variables == [
        .expression(.variable(.system("sql_mode", scope: nil))),
        .expression(.variable(.system("sql_mode", scope: nil))),
        .expression(.variable(.system("sql_mode", scope: .session))),
        .expression(.variable(.system("s ql`mode", scope: .global))),
        .expression(.variable(.system("sql\nmode", scope: .session))),
        .expression(.variable(.system("sql\"mode", scope: .session))),
      ])
    #expect(
      try select("select @abc, @`abc`, @'aBc', @6, @@sql_mode").fields.map(\.text) == [
        "@abc", "@`abc`", "@'aBc'", "@6", "@@sql_mode",
      ])
    #expect(
      try select("select .78'123'").fields == [.expression(.literal(.decimal(".78")), alias: "123")]
    )
    #expect(
      try SQLParser.parse(
        "CREATE TABLE foo (a SMALLINT UNSIGNED, b INT UNSIGNED); -- foo\nSelect --1 from foo;"
      ).count == 2)
  }
}
