/// `INSERT`, `REPLACE`, `UPDATE` and `DELETE`.
extension Parser {
  /// `INSERT|REPLACE [modifiers] [INTO] t [(columns)] VALUES ... | SET ... | SELECT ...
  /// [ON DUPLICATE KEY UPDATE ...]`.
  mutating func parseInsert() throws(ParseError) -> InsertStatement {
    let isReplace = isKeyword(.replace)
    advance()
    while accept(.lowPriority) || accept(.delayed) || accept(.highPriority) {}
    let ignore = accept(.ignore)
    _ = accept(.into)
    let table = try tableName()
    var columns: [String]?
    if isSymbol(.leftParen) && peek(1).keyword != .select && peek(1).kind != .symbol(.leftParen) {
      advance()
      columns = isSymbol(.rightParen) ? [] : try identifierList()
      try expect(.rightParen)
    }
    let source: InsertSource
    if accept(.values) || accept(.value) {
      var rows: [[Expr]] = []
      repeat {
        try expect(.leftParen)
        rows.append(isSymbol(.rightParen) ? [] : try parseExpressionList())
        try expect(.rightParen)
      } while accept(.comma)
      source = .values(rows)
    } else if columns == nil, accept(.set) {
      source = .set(try parseAssignments())
    } else if isKeyword(.select) || isSymbol(.leftParen) {
      source = .query(try parseQuery())
    } else {
      throw unexpected()
    }
    var onDuplicateKeyUpdate: [Assignment] = []
    if !isReplace && accept(.on) {
      try expect(.duplicate)
      try expect(.key)
      try expect(.update)
      onDuplicateKeyUpdate = try parseAssignments()
    }
    return InsertStatement(
      isReplace: isReplace, ignore: ignore, table: table, columns: columns, source: source,
      onDuplicateKeyUpdate: onDuplicateKeyUpdate)
  }

  /// `a, b, ...`: identifiers.
  private mutating func identifierList() throws(ParseError) -> [String] {
    var names = [try identifier()]
    while accept(.comma) { names.append(try identifier()) }
    return names
  }

  /// `column = value, ...`.
  private mutating func parseAssignments() throws(ParseError) -> [Assignment] {
    var assignments: [Assignment] = []
    repeat {
      let column = try parseColumnName()
      try expect(.equal)
      assignments.append(Assignment(column: column, value: try parseExpression()))
    } while accept(.comma)
    return assignments
  }

  /// `UPDATE [LOW_PRIORITY] [IGNORE] t [[AS] a] SET ... [WHERE] [ORDER BY] [LIMIT n]`.
  mutating func parseUpdate() throws(ParseError) -> UpdateStatement {
    try expect(.update)
    _ = accept(.lowPriority)
    let ignore = accept(.ignore)
    let table = try tableName()
    let alias = try parseAlias(allowingStrings: false)
    try expect(.set)
    var update = UpdateStatement(
      ignore: ignore, table: table, alias: alias, assignments: try parseAssignments())
    (update.whereClause, update.orderBy, update.limit) = try parseDMLClauses()
    return update
  }

  /// `DELETE [LOW_PRIORITY] [QUICK] [IGNORE] FROM t [[AS] a] [WHERE] [ORDER BY] [LIMIT n]`.
  mutating func parseDelete() throws(ParseError) -> DeleteStatement {
    try expect(.delete)
    var ignore = false
    while true {
      if accept(.ignore) {
        ignore = true
      } else if !accept(.lowPriority) && !accept(.quick) {
        break
      }
    }
    try expect(.from)
    let table = try tableName()
    var delete = DeleteStatement(
      ignore: ignore, table: table, alias: try parseAlias(allowingStrings: false))
    (delete.whereClause, delete.orderBy, delete.limit) = try parseDMLClauses()
    return delete
  }

  /// `[WHERE expr] [ORDER BY ...] [LIMIT n]`, as `UPDATE` and `DELETE` take them.
  private mutating func parseDMLClauses() throws(ParseError) -> (
    Expr?, [OrderItem], LimitValue?
  ) {
    let whereClause = accept(.where) ? try parseExpression() : nil
    var orderBy: [OrderItem] = []
    if accept(.order) {
      try expect(.by)
      orderBy = try parseOrderByList()
    }
    let limit = accept(.limit) ? try parseLimitValue() : nil
    return (whereClause, orderBy, limit)
  }
}
