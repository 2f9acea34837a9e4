/// Queries: `SELECT` blocks, `UNION`, `ORDER BY`, `LIMIT`, locking, and `FROM` lists.
extension Parser {
  /// A query: its body, then `ORDER BY`, `LIMIT` and a lock. A parenthesised query with
  /// nothing after it is that query (`(SELECT 1)` is `SELECT 1`).
  mutating func parseQuery() throws(ParseError) -> Query {
    try descend()
    defer { ascend() }
    let query = try parseQueryTail(of: try parseQueryBody())
    if case .parenthesized(let inner) = query.body, query.orderBy.isEmpty, query.limit == nil,
      query.lock == nil
    {
      return inner
    }
    return query
  }

  /// `ORDER BY`, `LIMIT` and a lock after `body`.
  mutating func parseQueryTail(of body: QueryBody) throws(ParseError) -> Query {
    var query = Query(body: body)
    if accept(.order) {
      try expect(.by)
      query.orderBy = try parseOrderByList()
    }
    if accept(.limit) { query.limit = try parseLimit() }
    if accept(.for) {
      if accept(.update) {
        query.lock = .forUpdate
      } else {
        try expect(.share)
        query.lock = .forShare
      }
    } else if accept(.lock) {
      try expect(.in)
      try expect(.share)
      try expect(.mode)
      query.lock = .forShare
    }
    return query
  }

  /// `term [UNION [ALL | DISTINCT] term ...]`, the first term given if already parsed.
  mutating func parseQueryBody(startingWith first: QueryBody? = nil) throws(ParseError)
    -> QueryBody
  {
    var body: QueryBody
    if let first { body = first } else { body = try parseQueryTerm() }
    while accept(.union) {
      let all = accept(.all)
      if !all { _ = accept(.distinct) }
      body = .union(body, try parseQueryTerm(), all: all)
    }
    return body
  }

  /// A `SELECT` block or a parenthesised query.
  private mutating func parseQueryTerm() throws(ParseError) -> QueryBody {
    guard accept(.leftParen) else { return .select(try parseSelect()) }
    let query = try parseQuery()
    try expect(.rightParen)
    return .parenthesized(query)
  }

  /// `SELECT [modifiers] fields [FROM ...] [WHERE ...] [GROUP BY ...] [HAVING ...]`.
  private mutating func parseSelect() throws(ParseError) -> SelectStatement {
    try expect(.select)
    var select = SelectStatement(fields: [])
    var sawAll = false
    while let keyword = current.keyword, Parser.selectModifiers.contains(keyword) {
      switch keyword {
      case .distinct, .distinctRow:
        guard !sawAll else { throw unexpected() }
        select.distinct = true
      case .all:
        guard !select.distinct else { throw unexpected() }
        sawAll = true
      default:
        break
      }
      advance()
    }
    repeat { select.fields.append(try parseSelectField()) } while accept(.comma)
    if accept(.from) {
      if isKeyword(.dual) && peek(1).kind != .symbol(.dot) {
        advance()
      } else {
        repeat { select.from.append(try parseTableReference()) } while accept(.comma)
      }
    }
    if accept(.where) { select.whereClause = try parseExpression() }
    if accept(.group) {
      try expect(.by)
      select.groupBy = try parseExpressionList()
    }
    if accept(.having) { select.having = try parseExpression() }
    return select
  }

  private static let selectModifiers: Set<Keyword> = [
    .all, .distinct, .distinctRow, .highPriority, .straightJoin, .sqlSmallResult, .sqlBigResult,
    .sqlBufferResult, .sqlCache, .sqlNoCache, .sqlCalcFoundRows,
  ]

  /// `*`, `t.*`, `db.t.*`, or an expression with an optional alias and its source text.
  private mutating func parseSelectField() throws(ParseError) -> SelectField {
    if accept(.star) { return .wildcard(nil) }
    if Parser.isName(current) && peek(1).kind == .symbol(.dot) {
      if peek(2).kind == .symbol(.star) {
        let table = TableName(name: try anyName())
        advance()
        advance()
        return .wildcard(table)
      }
      if Parser.isName(peek(2)) && peek(3).kind == .symbol(.dot)
        && peek(4).kind == .symbol(.star)
      {
        let schema = try anyName()
        advance()
        let table = TableName(schema: schema, name: try anyName())
        advance()
        advance()
        return .wildcard(table)
      }
    }
    let start = current.start
    let expr = try parseExpression()
    let text = String(decoding: source[start..<tokens[position - 1].end], as: UTF8.self)
    return .expression(expr, alias: try parseAlias(allowingStrings: true), text: text)
  }

  /// Whether `token` is a word or a backquoted name.
  private static func isName(_ token: Token) -> Bool {
    switch token.kind {
    case .word, .quotedIdentifier: true
    default: false
    }
  }

  /// `[AS] alias`, if next: an identifier, or (for select fields) a string.
  mutating func parseAlias(allowingStrings: Bool) throws(ParseError) -> String? {
    let explicit = accept(.as)
    if allowingStrings, case .string = current.kind { return Quoting.text(try stringBytes()) }
    if explicit || Parser.isIdentifier(current) { return try identifier() }
    return nil
  }

  /// `expr [ASC | DESC], ...`.
  mutating func parseOrderByList() throws(ParseError) -> [OrderItem] {
    var items: [OrderItem] = []
    repeat {
      let expr = try parseExpression()
      let descending = accept(.desc)
      if !descending { _ = accept(.asc) }
      items.append(OrderItem(expr: expr, descending: descending))
    } while accept(.comma)
    return items
  }

  /// `n`, `offset, n` or `n OFFSET offset`, after `LIMIT`.
  mutating func parseLimit() throws(ParseError) -> Limit {
    let first = try parseLimitValue()
    if accept(.comma) { return Limit(count: try parseLimitValue(), offset: first) }
    if accept(.offset) { return Limit(count: first, offset: try parseLimitValue()) }
    return Limit(count: first)
  }

  /// An unsigned integer or a `?`.
  mutating func parseLimitValue() throws(ParseError) -> LimitValue {
    guard current.kind == .parameter else { return .literal(try unsignedInteger()) }
    advance()
    return .parameter(nextParameter())
  }

  // MARK: FROM

  /// A table factor and the joins that follow it.
  private mutating func parseTableReference() throws(ParseError) -> TableReference {
    try parseJoins(after: try parseTableFactor())
  }

  /// The joins after `left`, left to right.
  private mutating func parseJoins(after left: TableReference) throws(ParseError)
    -> TableReference
  {
    var left = left
    while true {
      let kind: JoinKind
      var natural = false
      if accept(.straightJoin) {
        kind = .straight
      } else if isKeyword(.join) || isKeyword(.inner) || isKeyword(.cross) {
        if !accept(.inner) { _ = accept(.cross) }
        kind = .inner
      } else if isKeyword(.left) || isKeyword(.right) || isKeyword(.natural) {
        natural = accept(.natural)
        if accept(.left) {
          kind = .left
        } else if accept(.right) {
          kind = .right
        } else {
          guard natural else { throw unexpected() }
          _ = accept(.inner)
          kind = .inner
        }
        if kind != .inner { _ = accept(.outer) }
      } else {
        return left
      }
      if kind != .straight { try expect(.join) }
      let right = try parseTableFactor()
      var condition: JoinCondition?
      if natural {
        condition = .natural
      } else if accept(.on) {
        condition = .on(try parseExpression())
      } else if kind != .straight, accept(.using) {
        condition = .using(try parseNameList())
      } else if kind == .left || kind == .right {
        throw unexpected()
      }
      left = .join(Join(kind: kind, left: left, right: right, condition: condition))
    }
  }

  /// `(a, b, ...)`: identifiers in parentheses.
  mutating func parseNameList() throws(ParseError) -> [String] {
    try expect(.leftParen)
    var names = [try identifier()]
    while accept(.comma) { names.append(try identifier()) }
    try expect(.rightParen)
    return names
  }

  /// A table with its alias and hints, a derived table, or parenthesised references.
  private mutating func parseTableFactor() throws(ParseError) -> TableReference {
    guard isSymbol(.leftParen) else {
      let name = try tableName()
      let alias = try parseAlias(allowingStrings: false)
      return .table(name, alias: alias, indexHints: try parseIndexHints())
    }
    switch try parseParenthesizedFrom() {
    case .query(let query): return try derivedTable(query)
    case .reference(let reference): return reference
    }
  }

  /// `(query) [AS] alias`, from after the query's parentheses.
  private mutating func derivedTable(_ query: Query) throws(ParseError) -> TableReference {
    _ = accept(.as)
    return .derived(query, alias: try identifier())
  }

  /// What a parenthesis in a `FROM` list holds.
  private enum ParenthesizedFrom {
    case query(Query)
    case reference(TableReference)
  }

  /// `(query)`, `((query) UNION ...)`, or `(references)` (a comma list joins its items).
  private mutating func parseParenthesizedFrom() throws(ParseError) -> ParenthesizedFrom {
    try descend()
    defer { ascend() }
    try expect(.leftParen)
    if isKeyword(.select) {
      let query = try parseQuery()
      try expect(.rightParen)
      return .query(query)
    }
    var reference: TableReference
    if isSymbol(.leftParen) {
      switch try parseParenthesizedFrom() {
      case .query(let query) where isQueryContinuation:
        let whole = try parseQueryTail(of: try parseQueryBody(startingWith: .parenthesized(query)))
        try expect(.rightParen)
        return .query(whole)
      case .query(let query):
        if accept(.rightParen) { return .query(query) }
        reference = try parseJoins(after: try derivedTable(query))
      case .reference(let inner):
        reference = try parseJoins(after: inner)
      }
    } else {
      reference = try parseTableReference()
    }
    while accept(.comma) {
      reference = .join(Join(kind: .inner, left: reference, right: try parseTableReference()))
    }
    try expect(.rightParen)
    return .reference(reference)
  }

  /// `USE|IGNORE|FORCE INDEX|KEY (names)`, repeated.
  private mutating func parseIndexHints() throws(ParseError) -> [IndexHint] {
    var hints: [IndexHint] = []
    while peek(1).keyword == .index || peek(1).keyword == .key {
      let kind: IndexHintKind
      switch current.keyword {
      case .use?: kind = .use
      case .ignore?: kind = .ignore
      case .force?: kind = .force
      default: return hints
      }
      advance()
      advance()
      try expect(.leftParen)
      var names: [String] = []
      if !isSymbol(.rightParen) {
        repeat {
          names.append(accept(.primary) ? "PRIMARY" : try identifier())
        } while accept(.comma)
      }
      try expect(.rightParen)
      hints.append(IndexHint(kind: kind, indexes: names))
    }
    return hints
  }
}
