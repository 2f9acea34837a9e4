/// What `CREATE TABLE` and `ALTER TABLE` are made of: column definitions, default values,
/// index clauses and table options.
extension Parser {
  /// `name type [options]`.
  mutating func parseColumnDefinition() throws(ParseError) -> ColumnDefinition {
    let name = try identifier()
    var type = try parseDataType()
    var options: [ColumnOption] = []
    while true {
      switch current.keyword {
      case .not?:
        advance()
        try expect(.null)
        options.append(.notNull)
      case .null?:
        advance()
        options.append(.null)
      case .default?:
        advance()
        options.append(.defaultValue(try parseDefaultValue()))
      case .autoIncrement?:
        advance()
        options.append(.autoIncrement)
      case .primary?:
        advance()
        try expect(.key)
        options.append(.primaryKey)
      case .key?:
        advance()
        options.append(.primaryKey)
      case .unique?:
        advance()
        _ = accept(.key)
        options.append(.uniqueKey)
      case .comment?:
        advance()
        options.append(.comment(Quoting.text(try stringBytes())))
      case .collate?:
        advance()
        type.collation = try nameOrString().lowercased()
      case .on?:
        advance()
        try expect(.update)
        options.append(.onUpdate(try parseCurrentTime()))
      default:
        return ColumnDefinition(name: name, type: type, options: options)
      }
    }
  }

  /// A column's default as MySQL takes it: a literal, a signed number, a current-time
  /// function, or a parenthesised expression.
  mutating func parseDefaultValue() throws(ParseError) -> Expr {
    let token = current
    if accept(.leftParen) {
      let value = try parseExpression()
      try expect(.rightParen)
      return value
    }
    let negative = isSymbol(.minus)
    if negative || isSymbol(.plus) {
      advance()
      switch current.kind {
      case .integer, .decimal, .float:
        let number = try parsePrimary()
        return negative ? .unary(.minus, number) : number
      default:
        throw unexpected()
      }
    }
    let value = try parsePrimary()
    switch value {
    case .literal: return value
    case .function(let call) where ColumnOption.currentTimeFunctions.contains(call.name):
      return value
    default: throw error(at: token)
    }
  }

  /// `CURRENT_TIMESTAMP[(n)]` or a synonym, for `ON UPDATE`.
  private mutating func parseCurrentTime() throws(ParseError) -> Expr {
    let token = current
    let value = try parsePrimary()
    guard case .function(let call) = value, ColumnOption.currentTimeFunctions.contains(call.name)
    else { throw error(at: token) }
    return value
  }

  /// `[CONSTRAINT [name]] PRIMARY KEY | UNIQUE [KEY|INDEX] | KEY | INDEX`, then an optional
  /// name and `USING`, the key parts, and the options.
  mutating func parseIndexClause() throws(ParseError) -> IndexDefinition {
    var constraintName: String?
    let isConstraint = accept(.constraint)
    if isConstraint && Parser.isIdentifier(current) { constraintName = try identifier() }
    let kind: IndexKind
    if accept(.primary) {
      try expect(.key)
      kind = .primaryKey
    } else if accept(.unique) {
      _ = accept(.key) || accept(.index)
      kind = .unique
    } else if !isConstraint && (accept(.key) || accept(.index)) {
      kind = .index
    } else {
      throw unexpected()
    }
    let name = Parser.isIdentifier(current) ? try identifier() : constraintName
    var options = IndexOptions()
    if accept(.using) { options.indexType = try parseIndexType() }
    let columns = try parseIndexColumns()
    try parseIndexOptions(into: &options)
    return IndexDefinition(kind: kind, name: name, columns: columns, options: options)
  }

  /// `(column [(length)] [ASC|DESC], ...)`.
  mutating func parseIndexColumns() throws(ParseError) -> [IndexColumn] {
    try expect(.leftParen)
    var columns: [IndexColumn] = []
    repeat {
      let name = try identifier()
      let length = try optionalLength()
      let descending = accept(.desc)
      if !descending { _ = accept(.asc) }
      columns.append(IndexColumn(name: name, length: length, descending: descending))
    } while accept(.comma)
    try expect(.rightParen)
    return columns
  }

  /// `USING type`, `COMMENT 'text'`, `VISIBLE`, `INVISIBLE`, in any order.
  mutating func parseIndexOptions(into options: inout IndexOptions) throws(ParseError) {
    while true {
      if accept(.using) {
        options.indexType = try parseIndexType()
      } else if accept(.comment) {
        options.comment = Quoting.text(try stringBytes())
      } else if accept(.visible) {
        options.isInvisible = false
      } else if accept(.invisible) {
        options.isInvisible = true
      } else {
        return
      }
    }
  }

  /// `BTREE`, `HASH` or `RTREE`, upper-cased.
  mutating func parseIndexType() throws(ParseError) -> String {
    let token = current
    let name = try identifier().uppercased()
    guard ["BTREE", "HASH", "RTREE"].contains(name) else { throw error(at: token) }
    return name
  }

  /// Table options, each with an optional `=`, separated by spaces or commas.
  mutating func parseTableOptions() throws(ParseError) -> [TableOption] {
    var options: [TableOption] = []
    while let option = try parseTableOption() {
      options.append(option)
      if isSymbol(.comma) && Parser.startsTableOption(peek(1), then: peek(2)) { advance() }
    }
    return options
  }

  /// Whether `token` (followed by `next`) starts a table option.
  private static func startsTableOption(_ token: Token, then next: Token) -> Bool {
    switch token.keyword {
    case .engine?, .charset?, .collate?, .autoIncrement?, .comment?, .rowFormat?, .default?: true
    case .character?: next.keyword == .set
    default: false
    }
  }

  private mutating func parseTableOption() throws(ParseError) -> TableOption? {
    guard Parser.startsTableOption(current, then: peek(1)) else { return nil }
    if accept(.default) {
      guard [.charset, .character, .collate].contains(current.keyword) else { throw unexpected() }
    }
    let keyword = current.keyword
    advance()
    if keyword == .character { try expect(.set) }
    _ = accept(.equal)
    switch keyword {
    case .engine?: return .engine(try nameOrString())
    case .charset?, .character?: return .charset(try nameOrString().lowercased())
    case .collate?: return .collate(try nameOrString().lowercased())
    case .autoIncrement?: return .autoIncrement(try unsignedInteger())
    case .comment?: return .comment(Quoting.text(try stringBytes()))
    default: return .rowFormat(try nameOrString().uppercased())
    }
  }
}
