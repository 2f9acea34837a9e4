/// `SET` and `SHOW`.
extension Parser {
  /// `SET assignment, ...` or `SET [GLOBAL|SESSION] TRANSACTION ...`.
  mutating func parseSet() throws(ParseError) -> Statement {
    try expect(.set)
    if isKeyword(.transaction) || (scopeKeyword != nil && peek(1).keyword == .transaction) {
      return .setTransaction(try parseSetTransaction())
    }
    var assignments: [SetAssignment] = []
    repeat { assignments.append(try parseSetAssignment()) } while accept(.comma)
    return .set(SetStatement(assignments: assignments))
  }

  /// The scope `GLOBAL`, `SESSION` or `LOCAL` names, if the current token is one.
  private var scopeKeyword: VariableScope? {
    switch current.keyword {
    case .global?: .global
    case .session?, .local?: .session
    default: nil
    }
  }

  private mutating func parseSetTransaction() throws(ParseError) -> SetTransactionStatement {
    var statement = SetTransactionStatement(scope: scopeKeyword)
    if statement.scope != nil { advance() }
    try expect(.transaction)
    repeat {
      if accept(.isolation) {
        try expect(.level)
        statement.isolationLevel = try parseIsolationLevel()
      } else {
        statement.accessMode = try parseAccessMode()
      }
    } while accept(.comma)
    return statement
  }

  private mutating func parseIsolationLevel() throws(ParseError) -> IsolationLevel {
    if accept(.serializable) { return .serializable }
    if accept(.repeatable) {
      try expect(.read)
      return .repeatableRead
    }
    try expect(.read)
    if accept(.committed) { return .readCommitted }
    try expect(.uncommitted)
    return .readUncommitted
  }

  private mutating func parseSetAssignment() throws(ParseError) -> SetAssignment {
    if accept(.names) {
      if accept(.default) { return .names(charset: nil, collation: nil) }
      let charset = try nameOrString().lowercased()
      let collation = accept(.collate) ? try nameOrString().lowercased() : nil
      return .names(charset: charset, collation: collation)
    }
    if isKeyword(.charset) || (isKeyword(.character) && peek(1).keyword == .set) {
      if !accept(.charset) {
        advance()
        advance()
      }
      return .characterSet(accept(.default) ? nil : try nameOrString().lowercased())
    }
    let variable: Variable
    switch current.kind {
    case .userVariable(let name):
      advance()
      variable = .user(name.lowercased())
    case .systemVariable(let name, let scope):
      advance()
      variable = .system(name.lowercased(), scope: scope)
    default:
      let scope = scopeKeyword
      if scope != nil { advance() }
      variable = .system(try identifier().lowercased(), scope: scope)
    }
    guard accept(.equal) || accept(.assign) else { throw unexpected() }
    guard case .system = variable else { return .variable(variable, try parseExpression()) }
    return .variable(variable, try parseSystemVariableValue())
  }

  /// A system variable's new value: `ON` and a bare word stand for their names as strings
  /// (`SET autocommit = OFF`), as in MySQL; anything else is an expression.
  private mutating func parseSystemVariableValue() throws(ParseError) -> Expr {
    let endsValue: (Token) -> Bool = { token in
      [.symbol(.comma), .symbol(.semicolon), .end].contains(token.kind)
    }
    if case .word(let text) = current.kind, endsValue(peek(1)),
      isKeyword(.on) || !current.isReserved
    {
      advance()
      return .literal(.string(Array(text.utf8), charset: nil))
    }
    return try parseExpression()
  }

  /// `SHOW ...`, with its `LIKE` or `WHERE` filter.
  mutating func parseShow() throws(ParseError) -> ShowStatement {
    try expect(.show)
    let full = accept(.full)
    let scope = full ? nil : scopeKeyword
    if scope != nil { advance() }
    let kindToken = current
    let kind = try parseShowKind(full: full, scope: scope)
    switch kind {
    case .tables, .columns, .processList: guard scope == nil else { throw error(at: kindToken) }
    case .variables, .status: guard !full else { throw error(at: kindToken) }
    default: guard !full && scope == nil else { throw error(at: kindToken) }
    }
    var filter: ShowFilter?
    if kind.takesFilter {
      if accept(.like) {
        filter = .like(Quoting.text(try stringBytes()))
      } else if accept(.where) {
        filter = .where(try parseExpression())
      }
    }
    return ShowStatement(kind: kind, filter: filter)
  }

  private mutating func parseShowKind(full: Bool, scope: VariableScope?) throws(ParseError)
    -> ShowKind
  {
    guard let keyword = current.keyword else { throw unexpected() }
    advance()
    switch keyword {
    case .databases, .schemas: return .databases
    case .tables: return .tables(full: full, database: try parseShowDatabase())
    case .table:
      try expect(.status)
      return .tableStatus(database: try parseShowDatabase())
    case .columns, .fields: return .columns(try parseShowTable(), full: full)
    case .index, .indexes, .keys: return .indexes(try parseShowTable())
    case .create:
      if accept(.table) { return .createTable(try tableName()) }
      guard accept(.database) || accept(.schema) else { throw unexpected() }
      let ifNotExists = try acceptIfNotExists()
      return .createDatabase(try identifier(), ifNotExists: ifNotExists)
    case .variables: return .variables(scope)
    case .status: return .status(scope)
    case .warnings: return .warnings(accept(.limit) ? try parseLimit() : nil)
    case .errors: return .errors(accept(.limit) ? try parseLimit() : nil)
    case .engines: return .engines
    case .storage:
      try expect(.engines)
      return .engines
    case .character:
      try expect(.set)
      return .charset
    case .charset: return .charset
    case .collation: return .collation
    case .processlist: return .processList(full: full)
    default: throw error(at: tokens[position - 1])
    }
  }

  /// `[FROM|IN db]`.
  private mutating func parseShowDatabase() throws(ParseError) -> String? {
    guard accept(.from) || accept(.in) else { return nil }
    return try identifier()
  }

  /// `FROM|IN t [FROM|IN db]`; the second names the table's database.
  private mutating func parseShowTable() throws(ParseError) -> TableName {
    guard accept(.from) || accept(.in) else { throw unexpected() }
    var table = try tableName()
    if let database = try parseShowDatabase() { table.schema = database }
    return table
  }
}
