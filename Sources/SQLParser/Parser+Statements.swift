/// Statement dispatch, and the statements too small for a file of their own.
extension Parser {
  /// One statement, chosen by its first word.
  mutating func parseStatement() throws(ParseError) -> Statement {
    if isSymbol(.leftParen) { return .select(try parseQuery()) }
    switch current.keyword {
    case .select?: return .select(try parseQuery())
    case .insert?, .replace?: return .insert(try parseInsert())
    case .update?: return .update(try parseUpdate())
    case .delete?: return .delete(try parseDelete())
    case .create?: return try parseCreate()
    case .drop?: return try parseDrop()
    case .alter?: return .alterTable(try parseAlterTable())
    case .truncate?:
      advance()
      _ = accept(.table)
      return .truncateTable(try tableName())
    case .rename?: return .renameTable(try parseRenameTable())
    case .use?:
      advance()
      return .use(try identifier())
    case .begin?:
      advance()
      _ = accept(.work)
      return .startTransaction(StartTransactionStatement())
    case .start?: return .startTransaction(try parseStartTransaction())
    case .commit?:
      advance()
      _ = accept(.work)
      return .commit
    case .rollback?:
      advance()
      _ = accept(.work)
      return .rollback
    case .set?: return try parseSet()
    case .show?: return .show(try parseShow())
    case .explain?, .describe?, .desc?: return try parseExplain()
    case .analyze?:
      advance()
      try expect(.table)
      return .analyzeTable(try tableNameList())
    case .admin?: return .admin(try parseAdmin())
    case .kill?: return .kill(try parseKill())
    case .do?:
      advance()
      return .do(try parseExpressionList())
    default: throw unexpected()
    }
  }

  /// `a, db.b, ...`.
  mutating func tableNameList() throws(ParseError) -> [TableName] {
    var tables = [try tableName()]
    while accept(.comma) { tables.append(try tableName()) }
    return tables
  }

  /// `START TRANSACTION [WITH CONSISTENT SNAPSHOT | READ ONLY | READ WRITE, ...]`.
  private mutating func parseStartTransaction() throws(ParseError) -> StartTransactionStatement {
    try expect(.start)
    try expect(.transaction)
    var statement = StartTransactionStatement()
    guard isKeyword(.with) || isKeyword(.read) else { return statement }
    repeat {
      if accept(.with) {
        try expect(.consistent)
        try expect(.snapshot)
        statement.withConsistentSnapshot = true
      } else {
        statement.accessMode = try parseAccessMode()
      }
    } while accept(.comma)
    return statement
  }

  /// `READ ONLY` or `READ WRITE`.
  mutating func parseAccessMode() throws(ParseError) -> TransactionAccessMode {
    try expect(.read)
    if accept(.only) { return .readOnly }
    try expect(.write)
    return .readWrite
  }

  /// `EXPLAIN|DESCRIBE|DESC [ANALYZE | FORMAT = name] statement`, or `DESCRIBE t [column]`
  /// (`SHOW COLUMNS FROM t [LIKE 'column']`).
  private mutating func parseExplain() throws(ParseError) -> Statement {
    advance()
    let analyze = accept(.analyze)
    var format: String?
    if !analyze && isKeyword(.format) && peek(1).kind == .symbol(.equal) {
      advance()
      advance()
      format = try nameOrString().lowercased()
    }
    let explainable: Set<Keyword> = [.select, .insert, .replace, .update, .delete]
    if isSymbol(.leftParen) || current.keyword.map(explainable.contains) == true {
      return .explain(
        ExplainStatement(statement: try parseStatement(), format: format, analyze: analyze))
    }
    guard !analyze && format == nil else { throw unexpected() }
    let table = try tableName()
    var filter: ShowFilter?
    if case .string = current.kind {
      filter = .like(Quoting.text(try stringBytes()))
    } else if Parser.isIdentifier(current) {
      filter = .like(try identifier())
    }
    return .show(ShowStatement(kind: .columns(table, full: false), filter: filter))
  }

  /// `RENAME TABLE a TO b [, c TO d ...]`.
  private mutating func parseRenameTable() throws(ParseError) -> RenameTableStatement {
    try expect(.rename)
    try expect(.table)
    var renames: [TableRename] = []
    repeat {
      let from = try tableName()
      try expect(.to)
      renames.append(TableRename(from: from, to: try tableName()))
    } while accept(.comma)
    return RenameTableStatement(renames: renames)
  }

  /// `ADMIN SHOW DDL [JOBS [n] [WHERE expr]]`.
  private mutating func parseAdmin() throws(ParseError) -> AdminStatement {
    try expect(.admin)
    try expect(.show)
    try expect(.ddl)
    guard accept(.jobs) else { return .showDDL }
    var count: UInt64?
    if case .integer = current.kind { count = try unsignedInteger() }
    let whereClause = accept(.where) ? try parseExpression() : nil
    return .showDDLJobs(count: count, whereClause: whereClause)
  }

  /// `KILL [CONNECTION | QUERY] id`.
  private mutating func parseKill() throws(ParseError) -> KillStatement {
    try expect(.kill)
    let queryOnly = accept(.query)
    if !queryOnly { _ = accept(.connection) }
    return KillStatement(connectionID: try unsignedInteger(), queryOnly: queryOnly)
  }
}
