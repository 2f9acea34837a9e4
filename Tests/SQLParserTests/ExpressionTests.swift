import Testing

@testable import SQLParser

/// Operator precedence and associativity, as MySQL's grammar has them.
@Suite struct PrecedenceTests {
  @Test("multiplication binds tighter than addition; both associate left")
  func arithmetic() throws {
    #expect(try expr("1+2*3") == bin(.add, int(1), bin(.multiply, int(2), int(3))))
    #expect(try expr("1-2-3") == bin(.subtract, bin(.subtract, int(1), int(2)), int(3)))
    #expect(try expr("(1+2)*3") == bin(.multiply, bin(.add, int(1), int(2)), int(3)))
    #expect(
      try expr("a DIV 2 MOD 3") == bin(.modulo, bin(.integerDivide, col("a"), int(2)), int(3)))
    #expect(
      try expr("1 + 2 << 3 & 4 | 5")
        == bin(
          .bitOr, bin(.bitAnd, bin(.shiftLeft, bin(.add, int(1), int(2)), int(3)), int(4)), int(5)))
    #expect(try expr("2 * 3 ^ 4") == bin(.multiply, int(2), bin(.bitXor, int(3), int(4))))
  }

  @Test("AND binds tighter than XOR, XOR than OR; && and || are AND and OR")
  func logical() throws {
    #expect(try expr("a OR b AND c") == bin(.or, col("a"), bin(.and, col("b"), col("c"))))
    #expect(try expr("a || b && c") == bin(.or, col("a"), bin(.and, col("b"), col("c"))))
    #expect(try expr("a XOR b OR c") == bin(.or, bin(.xor, col("a"), col("b")), col("c")))
    #expect(try expr("a AND b XOR c") == bin(.xor, bin(.and, col("a"), col("b")), col("c")))
  }

  @Test("NOT is looser than comparison, tighter than AND; ! is tighter than comparison")
  func negation() throws {
    #expect(try expr("NOT a = b") == .unary(.not, bin(.equal, col("a"), col("b"))))
    #expect(try expr("NOT a AND b") == bin(.and, .unary(.not, col("a")), col("b")))
    #expect(try expr("!a = b") == bin(.equal, .unary(.not, col("a")), col("b")))
    #expect(
      try expr("a AND NOT b OR c")
        == bin(.or, bin(.and, col("a"), .unary(.not, col("b"))), col("c")))
    #expect(try expr("NOT NOT a") == .unary(.not, .unary(.not, col("a"))))
  }

  @Test("BETWEEN takes bit expressions as bounds, so a following AND is logical")
  func between() throws {
    #expect(
      try expr("a BETWEEN 1 AND 2 AND c")
        == bin(.and, .between(col("a"), low: int(1), high: int(2), negated: false), col("c")))
    #expect(
      try expr("a NOT BETWEEN b + 1 AND c * 2")
        == .between(
          col("a"), low: bin(.add, col("b"), int(1)), high: bin(.multiply, col("c"), int(2)),
          negated: true))
    #expect(
      try expr("a BETWEEN 1 AND 2 = 0")
        == bin(.equal, .between(col("a"), low: int(1), high: int(2), negated: false), int(0)))
  }

  @Test("unary minus binds tighter than ^; COLLATE tighter than unary minus")
  func unary() throws {
    #expect(try expr("-a ^ b") == bin(.bitXor, .unary(.minus, col("a")), col("b")))
    #expect(try expr("- -1") == .unary(.minus, .unary(.minus, int(1))))
    #expect(try expr("--1") == .unary(.minus, .unary(.minus, int(1))))
    #expect(try expr("+1") == int(1))
    #expect(try expr("~a") == .unary(.bitNot, col("a")))
    #expect(
      try expr("-a COLLATE utf8mb4_bin")
        == .unary(.minus, .collate(col("a"), collation: "utf8mb4_bin")))
    #expect(
      try expr("BINARY a = b") == bin(.equal, .cast(col("a"), .binary(length: nil)), col("b")))
  }

  @Test("comparisons associate left; IS applies to what precedes it")
  func comparisons() throws {
    #expect(try expr("a = b = c") == bin(.equal, bin(.equal, col("a"), col("b")), col("c")))
    #expect(try expr("a = b IS NULL") == .isNull(bin(.equal, col("a"), col("b")), negated: false))
    #expect(try expr("a IS NOT TRUE") == .isBoolean(col("a"), true, negated: true))
    #expect(try expr("a IS UNKNOWN") == .isNull(col("a"), negated: false))
    #expect(try expr("a IS FALSE") == .isBoolean(col("a"), false, negated: false))
    #expect(
      try expr("a + 1 < b * 2")
        == bin(.less, bin(.add, col("a"), int(1)), bin(.multiply, col("b"), int(2))))
    #expect(try expr("a <=> NULL") == bin(.nullSafeEqual, col("a"), .literal(.null)))
    #expect(try expr("a != b") == bin(.notEqual, col("a"), col("b")))
    #expect(try expr("a <> b") == bin(.notEqual, col("a"), col("b")))
    #expect(
      try expr("a = b LIKE c")
        == bin(.equal, col("a"), .like(col("b"), pattern: col("c"), escape: nil, negated: false)))
  }
}

/// Predicates, subqueries, rows and the other expression forms.
@Suite struct ExpressionFormTests {
  @Test("LIKE with ESCAPE, NOT LIKE, REGEXP and RLIKE")
  func patterns() throws {
    #expect(
      try expr("a LIKE 'x%' ESCAPE '!'")
        == .like(col("a"), pattern: str("x%"), escape: str("!"), negated: false))
    #expect(
      try expr("a NOT LIKE 'x'") == .like(col("a"), pattern: str("x"), escape: nil, negated: true))
    #expect(try expr("a REGEXP '^x'") == .regexp(col("a"), pattern: str("^x"), negated: false))
    #expect(try expr("a NOT RLIKE 'x'") == .regexp(col("a"), pattern: str("x"), negated: true))
  }

  @Test("IN lists, IN subqueries, rows and row comparisons")
  func inAndRows() throws {
    #expect(try expr("a IN (1, 2)") == .inList(col("a"), [int(1), int(2)], negated: false))
    #expect(try expr("a NOT IN (1)") == .inList(col("a"), [int(1)], negated: true))
    let subquery = Query(
      body: .select(SelectStatement(fields: [.expression(col("b"))], from: [table("t")])))
    #expect(try expr("a IN (SELECT b FROM t)") == .inSubquery(col("a"), subquery, negated: false))
    #expect(
      try expr("(a, b) = (1, 2)")
        == bin(.equal, .row([col("a"), col("b")]), .row([int(1), int(2)])))
    #expect(
      try expr("ROW(a, b) = ROW(1, 2)")
        == bin(.equal, .row([col("a"), col("b")]), .row([int(1), int(2)])))
    #expect(
      try expr("(a, b) IN ((1, 2), (3, 4))")
        == .inList(
          .row([col("a"), col("b")]), [.row([int(1), int(2)]), .row([int(3), int(4)])],
          negated: false))
  }

  @Test("scalar subqueries, EXISTS, NOT EXISTS, ANY and ALL")
  func subqueries() throws {
    let one = Query(body: .select(SelectStatement(fields: [.expression(int(1))])))
    #expect(try expr("(SELECT 1)") == .subquery(one))
    #expect(try expr("EXISTS (SELECT 1)") == .exists(one))
    #expect(try expr("NOT EXISTS (SELECT 1)") == .unary(.not, .exists(one)))
    #expect(try expr("a > ALL (SELECT 1)") == .quantifiedComparison(.greater, col("a"), .all, one))
    #expect(try expr("a = SOME (SELECT 1)") == .quantifiedComparison(.equal, col("a"), .any, one))
    #expect(try expr("(SELECT 1) + 1") == bin(.add, .subquery(one), int(1)))
    let union = Query(body: .union(.parenthesized(one), .parenthesized(one), all: false))
    #expect(try expr("((SELECT 1) UNION (SELECT 1))") == .subquery(union))
    #expect(
      try expr("a IN ((SELECT 1) UNION (SELECT 1))") == .inSubquery(col("a"), union, negated: false)
    )
  }

  @Test("column references, parameters and variables")
  func references() throws {
    #expect(
      try expr("db.t.c")
        == .column(ColumnName(table: TableName(schema: "db", name: "t"), name: "c")))
    #expect(try expr("t.c") == col("c", "t"))
    #expect(try expr("`a b`.`c``d`") == col("c`d", "a b"))
    #expect(try expr("t.select") == col("select", "t"))
    #expect(try expr("@@version_comment") == .variable(.system("version_comment", scope: nil)))
    #expect(try expr("@@SESSION.Sql_Mode") == .variable(.system("sql_mode", scope: .session)))
    #expect(
      try expr("@@global.max_connections") == .variable(.system("max_connections", scope: .global)))
    #expect(try expr("@@local.x") == .variable(.system("x", scope: .session)))
    #expect(try expr("@Var") == .variable(.user("var")))
    #expect(try expr("@'my var'") == .variable(.user("my var")))
    #expect(try expr("@`x`") == .variable(.user("x")))
  }

  @Test("CASE in both forms, CAST, CONVERT, COLLATE and INTERVAL")
  func forms() throws {
    #expect(
      try expr("CASE a WHEN 1 THEN 'x' WHEN 2 THEN 'y' ELSE 'z' END")
        == .caseWhen(
          CaseExpression(
            operand: col("a"),
            branches: [
              WhenClause(condition: int(1), result: str("x")),
              WhenClause(condition: int(2), result: str("y")),
            ],
            elseResult: str("z"))))
    #expect(
      try expr("CASE WHEN a > 0 THEN 1 END")
        == .caseWhen(
          CaseExpression(branches: [
            WhenClause(condition: bin(.greater, col("a"), int(0)), result: int(1))
          ])))
    #expect(try expr("CAST(a AS SIGNED INTEGER)") == .cast(col("a"), .signed))
    #expect(try expr("CAST(a AS UNSIGNED)") == .cast(col("a"), .unsigned))
    #expect(try expr("CAST(a AS CHAR(10))") == .cast(col("a"), .char(length: 10, charset: nil)))
    #expect(
      try expr("CAST(a AS CHAR CHARACTER SET utf8mb4)")
        == .cast(col("a"), .char(length: nil, charset: "utf8mb4")))
    #expect(try expr("CAST(a AS BINARY)") == .cast(col("a"), .binary(length: nil)))
    #expect(
      try expr("CAST(a AS DECIMAL(10, 2))") == .cast(col("a"), .decimal(precision: 10, scale: 2)))
    #expect(try expr("CAST(a AS DOUBLE)") == .cast(col("a"), .double))
    #expect(try expr("CAST(a AS DATETIME(6))") == .cast(col("a"), .dateTime(precision: 6)))
    #expect(try expr("CAST(a AS DATE)") == .cast(col("a"), .date))
    #expect(try expr("CONVERT(a, SIGNED)") == .cast(col("a"), .signed))
    #expect(try expr("CONVERT(a USING utf8MB4)") == .convertUsing(col("a"), charset: "utf8mb4"))
    #expect(try expr("a COLLATE 'utf8mb4_bin'") == .collate(col("a"), collation: "utf8mb4_bin"))
    #expect(try expr("d + INTERVAL 1 DAY") == bin(.add, col("d"), .interval(int(1), .day)))
    #expect(
      try expr("DATE_ADD(d, INTERVAL 2 HOUR_MINUTE)")
        == call("date_add", col("d"), .interval(int(2), .hourMinute)))
    #expect(try expr("INTERVAL(1, 2, 3)") == call("interval", int(1), int(2), int(3)))
  }

  @Test("DEFAULT, DEFAULT(c) and VALUES(c)")
  func defaults() throws {
    #expect(try expr("DEFAULT") == .defaultValue(nil))
    #expect(try expr("DEFAULT(a)") == .defaultValue(ColumnName(name: "a")))
    #expect(try expr("VALUES(a) + 1") == bin(.add, .values(ColumnName(name: "a")), int(1)))
  }
}

/// Function calls: names, keyword-named functions, aggregates and special forms.
@Suite struct FunctionTests {
  @Test("names are lower-cased; arguments are expressions")
  func plainCalls() throws {
    #expect(try expr("CONCAT(a, 'x', 1)") == call("concat", col("a"), str("x"), int(1)))
    #expect(try expr("now()") == call("now"))
    #expect(try expr("Coalesce(NULL, a)") == call("coalesce", .literal(.null), col("a")))
    #expect(try expr("date(d)") == call("date", col("d")))
    #expect(try expr("`my func`(1)") == call("my func", int(1)))
  }

  @Test("functions named by reserved words, with and without parentheses")
  func keywordNamed() throws {
    #expect(try expr("IF(a, 1, 2)") == call("if", col("a"), int(1), int(2)))
    #expect(try expr("LEFT('abc', 2)") == call("left", str("abc"), int(2)))
    #expect(try expr("RIGHT('abc', 2)") == call("right", str("abc"), int(2)))
    #expect(
      try expr("INSERT('abc', 1, 1, 'x')") == call("insert", str("abc"), int(1), int(1), str("x")))
    #expect(try expr("REPLACE(a, 'x', 'y')") == call("replace", col("a"), str("x"), str("y")))
    #expect(try expr("MOD(10, 3)") == call("mod", int(10), int(3)))
    #expect(try expr("CHAR(65, 66)") == call("char", int(65), int(66)))
    #expect(try expr("REPEAT('a', 3)") == call("repeat", str("a"), int(3)))
    #expect(try expr("DATABASE()") == call("database"))
    #expect(try expr("SCHEMA()") == call("schema"))
    #expect(try expr("USER()") == call("user"))
    #expect(try expr("CURRENT_USER") == call("current_user"))
    #expect(try expr("CURRENT_USER()") == call("current_user"))
    #expect(try expr("CURRENT_TIMESTAMP") == call("current_timestamp"))
    #expect(try expr("CURRENT_TIMESTAMP(3)") == call("current_timestamp", int(3)))
    #expect(try expr("CURRENT_DATE") == call("current_date"))
    #expect(try expr("UTC_TIMESTAMP()") == call("utc_timestamp"))
  }

  @Test("aggregates: COUNT(*), DISTINCT, several arguments only where allowed")
  func aggregates() throws {
    #expect(try expr("COUNT(*)") == .aggregate(AggregateCall(function: .count, arguments: [])))
    #expect(
      try expr("count(a)") == .aggregate(AggregateCall(function: .count, arguments: [col("a")])))
    #expect(
      try expr("COUNT(DISTINCT a, b)")
        == .aggregate(
          AggregateCall(function: .count, distinct: true, arguments: [col("a"), col("b")])))
    #expect(
      try expr("SUM(DISTINCT x)")
        == .aggregate(AggregateCall(function: .sum, distinct: true, arguments: [col("x")])))
    #expect(
      try expr("max(a) + min(b)")
        == bin(
          .add, .aggregate(AggregateCall(function: .max, arguments: [col("a")])),
          .aggregate(AggregateCall(function: .min, arguments: [col("b")]))))
    #expect(
      try expr("GROUP_CONCAT(DISTINCT a, b ORDER BY a DESC SEPARATOR ';')")
        == .aggregate(
          AggregateCall(
            function: .groupConcat, distinct: true, arguments: [col("a"), col("b")],
            orderBy: [OrderItem(expr: col("a"), descending: true)], separator: Array(";".utf8))))
    if case .aggregate(let count) = try expr("COUNT(*)") { #expect(count.isCountStar) }
    #expect(!parses("SELECT COUNT(a, b) FROM t"))
    #expect(!parses("SELECT SUM(a, b) FROM t"))
    #expect(!parses("SELECT AVG() FROM t"))
    #expect(!parses("SELECT BIT_AND(DISTINCT a) FROM t"))
    #expect(!parses("SELECT CONCAT(DISTINCT a) FROM t"))
  }

  @Test("SUBSTRING's FROM/FOR and POSITION's IN become plain calls; EXTRACT is not taken")
  func specialForms() throws {
    #expect(
      try expr("SUBSTRING('abc' FROM 2 FOR 1)") == call("substring", str("abc"), int(2), int(1)))
    #expect(try expr("SUBSTR('abc', 2)") == call("substr", str("abc"), int(2)))
    #expect(try expr("POSITION('b' IN 'abc')") == call("locate", str("b"), str("abc")))
    #expect(!parses("SELECT EXTRACT(YEAR FROM d)"))
  }
}
