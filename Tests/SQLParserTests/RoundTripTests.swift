import Testing

@testable import SQLParser

/// `description` prints canonical SQL that parses back to the same tree.
@Suite struct RoundTripTests {
  /// Statements of every kind, with the awkward corners of precedence and quoting.
  static let corpus = [
    // Expressions and precedence.
    "SELECT 1 + 2 * 3, (1 + 2) * 3, 1 - (2 - 3), 1 - 2 - 3, 2 ^ 3 ^ 4, (2 ^ 3) ^ 4",
    "SELECT a OR b AND c, (a OR b) AND c, a XOR (b XOR c), NOT a = b, (NOT a) = b, NOT (a AND b)",
    "SELECT !a, - -1, -(-1), -(a + b), ~a, - a ^ b, -(a ^ b), +a, a - -1, a--1",
    "SELECT a = (b = c), (a = b) = c, a = (b LIKE c), (a LIKE b) = c, a IS NULL IS NOT TRUE",
    "SELECT a BETWEEN 1 AND 2 AND c, a BETWEEN (b AND c) AND d, (a BETWEEN 1 AND 2) = 0",
    "SELECT a NOT IN (1, 2), (a, b) IN ((1, 2), (3, 4)), a IN (SELECT b FROM t), a NOT LIKE 'x' ESCAPE '!'",
    "SELECT a REGEXP '^x', a NOT RLIKE b, (a | b) & c, a | b & c, a << 1 >> 2, a DIV b MOD c % d",
    "SELECT a > ALL (SELECT b FROM t), a = ANY (SELECT 1), EXISTS (SELECT 1), NOT EXISTS (SELECT 1)",
    "SELECT (SELECT 1) + 1, ((SELECT 1) UNION (SELECT 2)), ROW(1, 2) = (1, 2)",
    "SELECT CASE a WHEN 1 THEN 'x' ELSE 'y' END, CASE WHEN a THEN b END",
    "SELECT CAST(a AS CHAR(10) CHARACTER SET utf8mb4), CAST(a AS DECIMAL(10,2)), CONVERT(a, SIGNED), CONVERT(a USING latin1)",
    "SELECT CAST(a AS BINARY(4)), BINARY a, CAST(a AS TIME(3)), CAST(a AS JSON), CAST(a AS FLOAT), CAST(a AS DATE)",
    "SELECT a COLLATE utf8mb4_bin, -a COLLATE x, (-a) COLLATE x, (a + b) COLLATE x",
    "SELECT d + INTERVAL 1 DAY, DATE_SUB(d, INTERVAL (1 + 1) HOUR), INTERVAL(1, 2, 3), INTERVAL -1 MONTH + d",
    "SELECT COUNT(*), COUNT(DISTINCT a, b), SUM(ALL a), GROUP_CONCAT(a, b ORDER BY c DESC SEPARATOR '\\n')",
    "SELECT IF(a, 1, 2), LEFT(a, 1), RIGHT(a, 1), INSERT(a, 1, 1, 'x'), REPLACE(a, 'x', 'y'), MOD(a, 2), CHAR(65)",
    "SELECT DATABASE(), SCHEMA(), USER(), CURRENT_USER, CURRENT_TIMESTAMP(6), NOW(), LOCALTIME, `my fn`(1)",
    "SELECT SUBSTRING(a FROM 1 FOR 2), POSITION('a' IN b), REPEAT('-', 3)",
    // Literals, names and variables.
    "SELECT 9223372036854775808, 18446744073709551616, 1.50, .5, 1e-3, 0x0A, X'', b'101', B'', TRUE, NULL",
    "SELECT 'it''s', \"q\\\"\", 'a\\0b\\nc\\rd\\Ze\\\\f', '\\%\\_', _utf8mb4'x', N'y', _binary 'z', 'a' 'b'",
    "SELECT DATE '2020-01-01', TIME '10:00', TIMESTAMP '2020-01-01 10:00:00'",
    "SELECT `a``b`, `select`.`from`, db.t.c, t.*, db.t.*, @@version_comment, @@session.autocommit, @@global.x, @u, @`a b`",
    "SELECT ?, ? + ? FROM t WHERE a = ? LIMIT ?, ?",
    "SELECT a FROM t LIMIT ? OFFSET ?", "SELECT a FROM t LIMIT 5 OFFSET ?",
    "SELECT a IN ((SELECT 1) FOR UPDATE), (SELECT 1 FROM t LOCK IN SHARE MODE)",
    // Queries.
    "SELECT DISTINCT a AS x, b y, c 'z' FROM t WHERE a GROUP BY a, b HAVING COUNT(*) > 1 ORDER BY 1 DESC, b LIMIT 3 OFFSET 1 FOR UPDATE",
    "SELECT 1 FROM DUAL LOCK IN SHARE MODE",
    "SELECT a FROM t UNION SELECT b FROM u UNION ALL (SELECT c FROM v ORDER BY c LIMIT 1) ORDER BY 1 LIMIT 2",
    "SELECT 1 UNION (SELECT 2 UNION SELECT 3)",
    "SELECT * FROM t1 JOIN t2 LEFT JOIN t3 ON t2.id = t3.id RIGHT OUTER JOIN t4 USING (id) STRAIGHT_JOIN t5 ON 1",
    "SELECT * FROM a NATURAL JOIN b NATURAL RIGHT JOIN c, d CROSS JOIN (e JOIN f ON x) ON y",
    "SELECT * FROM (a, b) JOIN (c, d) ON x, (SELECT 1) AS d1, ((SELECT 1) UNION (SELECT 2)) d2",
    "SELECT * FROM t AS a USE INDEX (i) IGNORE INDEX (PRIMARY) FORCE KEY ()",
    // DML.
    "INSERT INTO t VALUES (1, 'a'), (DEFAULT, NULL)",
    "INSERT IGNORE INTO db.t (a, b) VALUES () ON DUPLICATE KEY UPDATE a = VALUES(a) + 1, b = DEFAULT",
    "INSERT INTO t () VALUES ()",
    "INSERT INTO t SET a = 1, t.b = 2",
    "INSERT INTO t (a) SELECT b FROM u WHERE c",
    "INSERT INTO t (SELECT 1 UNION SELECT 2)",
    "REPLACE INTO t (a) VALUES (1)",
    "UPDATE IGNORE t AS x SET a = a + 1, x.b = DEFAULT WHERE c ORDER BY d LIMIT 10",
    "DELETE IGNORE FROM db.t AS x WHERE a = ? ORDER BY b DESC LIMIT ?",
    // DDL.
    "CREATE TABLE IF NOT EXISTS db.t (id BIGINT(20) UNSIGNED ZEROFILL NOT NULL AUTO_INCREMENT PRIMARY KEY COMMENT 'x', name VARCHAR(10) BINARY CHARACTER SET utf8mb4 COLLATE utf8mb4_bin DEFAULT 'a' UNIQUE KEY, KEY i USING HASH (name(4) DESC) COMMENT 'c' INVISIBLE, CONSTRAINT u UNIQUE (id)) ENGINE = InnoDB DEFAULT CHARSET = utf8mb4 COLLATE = utf8mb4_bin AUTO_INCREMENT = 5 COMMENT = 'it''s' ROW_FORMAT = DYNAMIC",
    "CREATE TABLE t (a TINYINT(1), b BOOL, c DECIMAL(10,2), d FLOAT(7,3), e DOUBLE, f BIT(3), g DATE, h TIME(1), i DATETIME(6), j TIMESTAMP, k YEAR(4))",
    "CREATE TABLE t (a CHAR, b NCHAR(3), c VARBINARY(5), d BINARY, e TINYTEXT, f TEXT(10), g MEDIUMTEXT, h LONGTEXT, i TINYBLOB, j BLOB, k MEDIUMBLOB, l LONGBLOB, m ENUM('x', 'y''z'), n SET('a'), o JSON)",
    "CREATE TABLE t (a INT DEFAULT -1, b INT DEFAULT (a + 1), c TIMESTAMP(3) DEFAULT CURRENT_TIMESTAMP(3) ON UPDATE CURRENT_TIMESTAMP(3), d INT NULL DEFAULT NULL, e INT KEY)",
    "CREATE TABLE t LIKE u",
    "CREATE DATABASE IF NOT EXISTS d CHARACTER SET utf8mb4 COLLATE utf8mb4_bin",
    "DROP DATABASE IF EXISTS d",
    "DROP TABLE IF EXISTS a, db.b",
    "TRUNCATE TABLE t",
    "RENAME TABLE a TO b, db.c TO db.d",
    "CREATE UNIQUE INDEX i USING BTREE ON t (a, b(10) DESC) COMMENT 'x'",
    "DROP INDEX i ON db.t",
    "ALTER TABLE t ADD COLUMN a INT FIRST, ADD b INT AFTER a, ADD (c INT, d TEXT), DROP e, ADD UNIQUE u (a), DROP PRIMARY KEY, ADD PRIMARY KEY (a, b)",
    "ALTER TABLE t MODIFY a BIGINT NOT NULL, CHANGE b c INT AFTER a, ALTER a SET DEFAULT 1, ALTER COLUMN b SET DEFAULT (NOW()), ALTER c DROP DEFAULT",
    "ALTER TABLE t RENAME COLUMN a TO b, RENAME INDEX i TO j, DROP INDEX k, ENGINE = InnoDB COMMENT = 'x', RENAME TO u",
    // Session and utility statements.
    "USE `db`",
    "BEGIN", "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY", "COMMIT", "ROLLBACK",
    "SET autocommit = 1, @@session.sql_mode = 'x', GLOBAL y = OFF, @u := @u + 1, NAMES utf8mb4 COLLATE utf8mb4_bin, CHARACTER SET DEFAULT",
    "SET NAMES DEFAULT",
    "SET SESSION TRANSACTION ISOLATION LEVEL READ COMMITTED, READ WRITE",
    "SHOW DATABASES LIKE 'a\\_b%'", "SHOW FULL TABLES FROM db WHERE a = 1", "SHOW TABLE STATUS",
    "SHOW FULL COLUMNS FROM db.t LIKE 'a'", "SHOW INDEX FROM t", "SHOW CREATE TABLE t",
    "SHOW CREATE DATABASE IF NOT EXISTS d", "SHOW GLOBAL VARIABLES LIKE 'x'", "SHOW SESSION STATUS",
    "SHOW WARNINGS LIMIT 1, 2", "SHOW ERRORS", "SHOW ENGINES", "SHOW CHARSET", "SHOW COLLATION",
    "SHOW FULL PROCESSLIST", "DESC t", "DESCRIBE t col",
    "EXPLAIN SELECT 1", "EXPLAIN ANALYZE SELECT a FROM t", "EXPLAIN FORMAT = 'json' DELETE FROM t",
    "ANALYZE TABLE t, u", "ADMIN SHOW DDL", "ADMIN SHOW DDL JOBS 5 WHERE a = 1", "KILL QUERY 3",
    "DO 1, SLEEP(1)",
  ]

  @Test("every statement of the corpus prints SQL that parses back to it")
  func corpusRoundTrips() throws {
    for sql in RoundTripTests.corpus { try checkRoundTrip(sql) }
  }

  @Test("printed forms are canonical: keywords upper-cased, names backquoted, minimal parentheses")
  func canonicalForms() throws {
    let cases = [
      (
        "select a+1 from t where b=2 and not c", "SELECT `a` + 1 FROM `t` WHERE `b` = 2 AND NOT `c`"
      ),
      ("select (1+2)*3, 1+(2*3)", "SELECT (1 + 2) * 3, 1 + 2 * 3"),
      (
        "select a from t1, t2 as x join t3 on t3.id=x.id",
        "SELECT `a` FROM `t1`, `t2` AS `x` JOIN `t3` ON `t3`.`id` = `x`.`id`"
      ),
      ("insert into t(a) value (1),(2)", "INSERT INTO `t` (`a`) VALUES (1), (2)"),
      ("select count(*), x'0a', b'1', 'it''s'", "SELECT COUNT(*), X'0A', b'00000001', 'it\\'s'"),
      (
        "create table t (id int key, v varchar(10) default 'x')",
        "CREATE TABLE `t` (`id` INT PRIMARY KEY, `v` VARCHAR(10) DEFAULT 'x')"
      ),
      ("select - -1, !a, a || b", "SELECT - -1, NOT `a`, `a` OR `b`"),
    ]
    for (sql, canonical) in cases { #expect(try statement(sql).description == canonical) }
  }

  @Test("trees built by hand print too: bytes that are not UTF-8 as hex, negative integers")
  func handBuiltTrees() {
    #expect(Literal.string([0xFF, 0x00], charset: nil).description == "X'FF00'")
    #expect(Expr.unary(.minus, .literal(.integer(-1))).description == "- -1")
    #expect(SelectField.expression(col("a"), alias: "b").description == "`a` AS `b`")
    #expect(
      Limit(count: .parameter(0), offset: .parameter(1)).description == "LIMIT ? OFFSET ?")
    #expect(Limit(count: .literal(5), offset: .literal(10)).description == "LIMIT 10, 5")
  }

  @Test("a field's text is its spelling: fields equal whatever their text")
  func fieldTextIsNotMeaning() throws {
    let typed = try select("SELECT a+1")
    let printed = try select(typed.description)
    #expect(typed == printed)
    #expect(typed.fields[0].text == "a+1")
    #expect(printed.fields[0].text == "`a` + 1")
    #expect(SelectField.expression(col("a"), alias: "x").text == "`a`")
    #expect(Set([typed.fields[0], printed.fields[0]]).count == 1)
  }
}
