import Testing

@testable import SQLParser

/// `SELECT` blocks: fields, modifiers and clauses.
@Suite struct SelectTests {
  @Test(
    "a full SELECT: DISTINCT, fields, FROM, WHERE, GROUP BY, HAVING, ORDER BY, LIMIT, FOR UPDATE")
  func fullSelect() throws {
    let parsed = try query(
      "SELECT DISTINCT a, COUNT(*) AS n FROM t WHERE b > 1 GROUP BY a HAVING n > 2 ORDER BY n DESC, a LIMIT 10 FOR UPDATE"
    )
    guard case .select(let block) = parsed.body else { throw ParseError.emptyQuery }
    #expect(block.distinct)
    #expect(
      block.fields == [
        .expression(col("a")),
        .expression(.aggregate(AggregateCall(function: .count, arguments: [])), alias: "n"),
      ])
    #expect(block.from == [table("t")])
    #expect(block.whereClause == bin(.greater, col("b"), int(1)))
    #expect(block.groupBy == [col("a")])
    #expect(block.having == bin(.greater, col("n"), int(2)))
    #expect(
      parsed.orderBy == [OrderItem(expr: col("n"), descending: true), OrderItem(expr: col("a"))])
    #expect(parsed.limit == Limit(count: .literal(10)))
    #expect(parsed.lock == .forUpdate)
  }

  @Test("LIMIT n, LIMIT offset, n, LIMIT n OFFSET offset, placeholders")
  func limits() throws {
    #expect(try query("SELECT a FROM t LIMIT 5").limit == Limit(count: .literal(5)))
    #expect(
      try query("SELECT a FROM t LIMIT 2, 5").limit
        == Limit(count: .literal(5), offset: .literal(2)))
    #expect(
      try query("SELECT a FROM t LIMIT 5 OFFSET 2").limit
        == Limit(count: .literal(5), offset: .literal(2)))
    #expect(
      try query("SELECT a FROM t LIMIT ?, ?").limit
        == Limit(count: .parameter(1), offset: .parameter(0)))
    #expect(!parses("SELECT a FROM t LIMIT -1"))
    #expect(!parses("SELECT a FROM t LIMIT 1.5"))
  }

  @Test("fields keep their text as typed, trimmed; aliases with or without AS, quoted or strings")
  func fieldText() throws {
    let block = try select("SELECT  a+1 ,  COUNT(*) , b AS x, c y, d 'z', e AS \"w\", 1 `v` FROM t")
    #expect(block.fields.map(\.text) == ["a+1", "COUNT(*)", "b", "c", "d", "e", "1"])
    #expect(
      block.fields.map(\.description) == [
        "`a` + 1", "COUNT(*)", "`b` AS `x`", "`c` AS `y`", "`d` AS `z`", "`e` AS `w`", "1 AS `v`",
      ])
    #expect(
      try select("SELECT @@version_comment LIMIT 1").fields.map(\.text) == ["@@version_comment"])
    #expect(try select("SELECT 'a' 'b'").fields.map(\.text) == ["'a' 'b'"])
    #expect(try select("SELECT status, count, date, name FROM t").fields.count == 4)
  }

  @Test("wildcards: *, t.*, db.t.*, mixed with expressions")
  func wildcards() throws {
    #expect(
      try select("SELECT *, t.*, db.u.*, a FROM t").fields == [
        .wildcard(nil), .wildcard(TableName(name: "t")),
        .wildcard(TableName(schema: "db", name: "u")),
        .expression(col("a")),
      ])
    #expect(!parses("SELECT a.b.*.c FROM t"))
    #expect(!parses("SELECT a.b.c.d FROM t"))
  }

  @Test("SELECT without FROM, with FROM DUAL, and modifiers that change nothing")
  func noFrom() throws {
    #expect(try select("SELECT 1").from.isEmpty)
    #expect(try select("SELECT 1 FROM DUAL").from.isEmpty)
    #expect(try expr("DATABASE()") == call("database"))
    #expect(
      try select("SELECT SQL_NO_CACHE SQL_CALC_FOUND_ROWS HIGH_PRIORITY * FROM t").fields == [
        .wildcard(nil)
      ])
    #expect(try select("SELECT ALL a FROM t").distinct == false)
    #expect(try select("SELECT DISTINCTROW a FROM t").distinct)
    #expect(!parses("SELECT DISTINCT ALL * FROM t"))
    #expect(!parses("SELECT ALL DISTINCT * FROM t"))
    #expect(!parses("SELECT DISTINCTS * FROM t"))
  }

  @Test("LOCK IN SHARE MODE and FOR SHARE")
  func locks() throws {
    #expect(try query("SELECT a FROM t LOCK IN SHARE MODE").lock == .forShare)
    #expect(try query("SELECT a FROM t FOR SHARE").lock == .forShare)
  }

  @Test("UNION and UNION ALL nest to the left; ORDER BY and LIMIT apply to the whole")
  func unions() throws {
    func block(_ name: String) -> QueryBody {
      .select(SelectStatement(fields: [.expression(col(name))], from: [table("t")]))
    }
    let parsed = try query(
      "SELECT a FROM t UNION SELECT b FROM t UNION ALL SELECT c FROM t ORDER BY 1 LIMIT 2")
    #expect(
      parsed.body == .union(.union(block("a"), block("b"), all: false), block("c"), all: true))
    #expect(parsed.orderBy == [OrderItem(expr: int(1))])
    #expect(parsed.limit == Limit(count: .literal(2)))
    let parenthesized = try query(
      "(SELECT a FROM t ORDER BY a LIMIT 1) UNION DISTINCT (SELECT b FROM t)")
    let first = Query(
      body: block("a"), orderBy: [OrderItem(expr: col("a"))], limit: Limit(count: .literal(1)))
    #expect(
      parenthesized.body
        == .union(.parenthesized(first), .parenthesized(Query(body: block("b"))), all: false))
    #expect(!parses("SELECT a FROM t ORDER BY a UNION SELECT b FROM t"))
  }
}

/// `FROM` lists: tables, aliases, joins, derived tables, hints.
@Suite struct TableReferenceTests {
  @Test("tables with and without databases and aliases")
  func tables() throws {
    #expect(
      try select("SELECT * FROM t, db.u AS a, v b").from == [
        table("t"), table("u", schema: "db", alias: "a"), table("v", alias: "b"),
      ])
    #expect(try select("SELECT * FROM select.desc").from == [table("desc", schema: "select")])
    #expect(!parses("SELECT * FROM t AS 'a'"))
  }

  @Test("joins: inner, cross, left and right outer, straight, natural; ON and USING")
  func joins() throws {
    let joined = try select(
      "SELECT * FROM t1 JOIN t2 LEFT OUTER JOIN t3 ON t2.id = t3.id RIGHT JOIN t4 USING (id, k) STRAIGHT_JOIN t5 ON 1"
    ).from
    let innerJoin = TableReference.join(Join(kind: .inner, left: table("t1"), right: table("t2")))
    let leftJoin = TableReference.join(
      Join(
        kind: .left, left: innerJoin, right: table("t3"),
        condition: .on(bin(.equal, col("id", "t2"), col("id", "t3")))))
    let rightJoin = TableReference.join(
      Join(kind: .right, left: leftJoin, right: table("t4"), condition: .using(["id", "k"])))
    #expect(
      joined == [
        .join(Join(kind: .straight, left: rightJoin, right: table("t5"), condition: .on(int(1))))
      ])
    #expect(
      try select("SELECT * FROM a CROSS JOIN b INNER JOIN c ON x").from
        == [
          .join(
            Join(
              kind: .inner, left: .join(Join(kind: .inner, left: table("a"), right: table("b"))),
              right: table("c"), condition: .on(col("x"))))
        ])
    #expect(
      try select("SELECT * FROM a NATURAL JOIN b NATURAL LEFT JOIN c").from
        == [
          .join(
            Join(
              kind: .left,
              left: .join(
                Join(kind: .inner, left: table("a"), right: table("b"), condition: .natural)),
              right: table("c"), condition: .natural))
        ])
    #expect(!parses("SELECT * FROM t1 RIGHT JOIN t2 ON t1.id = t2.id LEFT JOIN t3"))
    #expect(!parses("SELECT * FROM t1 LEFT JOIN t2"))
  }

  @Test("parenthesised joins nest to the right; a parenthesised comma list joins")
  func parenthesizedJoins() throws {
    #expect(
      try select("SELECT * FROM a JOIN (b JOIN c ON y) ON x").from
        == [
          .join(
            Join(
              kind: .inner, left: table("a"),
              right: .join(
                Join(kind: .inner, left: table("b"), right: table("c"), condition: .on(col("y")))),
              condition: .on(col("x"))))
        ])
    #expect(
      try select("SELECT * FROM (a, b) LEFT JOIN c ON x").from
        == [
          .join(
            Join(
              kind: .left, left: .join(Join(kind: .inner, left: table("a"), right: table("b"))),
              right: table("c"), condition: .on(col("x"))))
        ])
    #expect(try select("SELECT * FROM ((t))").from == [table("t")])
  }

  @Test("derived tables need an alias; parenthesised and union derived tables")
  func derived() throws {
    let one = Query(body: .select(SelectStatement(fields: [.expression(int(1))])))
    #expect(try select("SELECT * FROM (SELECT 1) AS d").from == [.derived(one, alias: "d")])
    #expect(try select("SELECT * FROM (SELECT 1) d").from == [.derived(one, alias: "d")])
    #expect(
      try select("SELECT * FROM ((SELECT 1) UNION ALL (SELECT 1)) u").from
        == [
          .derived(
            Query(body: .union(.parenthesized(one), .parenthesized(one), all: true)), alias: "u")
        ])
    #expect(
      try select("SELECT * FROM ((SELECT 1) AS d JOIN t)").from
        == [.join(Join(kind: .inner, left: .derived(one, alias: "d"), right: table("t")))])
    #expect(!parses("SELECT * FROM (SELECT 1)"))
  }

  @Test("index hints after a table")
  func indexHints() throws {
    #expect(
      try select("SELECT * FROM t AS a USE INDEX (i1, i2) IGNORE KEY (PRIMARY) FORCE INDEX ()").from
        == [
          .table(
            TableName(name: "t"), alias: "a",
            indexHints: [
              IndexHint(kind: .use, indexes: ["i1", "i2"]),
              IndexHint(kind: .ignore, indexes: ["PRIMARY"]),
              IndexHint(kind: .force, indexes: []),
            ])
        ])
  }
}
