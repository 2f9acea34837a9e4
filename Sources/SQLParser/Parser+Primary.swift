/// Primary expressions: literals, names, placeholders, variables, parentheses, and the
/// functions and forms that start with a word.
extension Parser {
  /// A primary expression.
  mutating func parsePrimary() throws(ParseError) -> Expr {
    let token = current
    switch token.kind {
    case .integer(let text):
      advance()
      return .literal(Parser.integerLiteral(text))
    case .decimal(let text):
      advance()
      return .literal(.decimal(text))
    case .float(let text):
      advance()
      return .literal(.float(text))
    case .string(_, let national):
      return .literal(.string(try stringBytes(), charset: national ? "utf8" : nil))
    case .hex(let bytes):
      advance()
      return .literal(.hex(bytes))
    case .bit(let bytes):
      advance()
      return .literal(.bit(bytes))
    case .parameter:
      advance()
      return .parameter(nextParameter())
    case .userVariable(let name):
      advance()
      return .variable(.user(name.lowercased()))
    case .systemVariable(let name, let scope):
      advance()
      return .variable(.system(name.lowercased(), scope: scope))
    case .symbol(.leftParen):
      switch try parseParenthesizedContents() {
      case .query(let query): return .subquery(query)
      case .expressions(let list): return list.count == 1 ? list[0] : .row(list)
      }
    case .word where token.isReserved && peek(1).kind != .symbol(.dot):
      return try parseReservedWordPrimary()
    case .word, .quotedIdentifier:
      return try parseNamePrimary()
    default:
      throw unexpected()
    }
  }

  /// Digits as the narrowest literal that holds them: `Int64`, `UInt64`, else a decimal.
  static func integerLiteral(_ text: String) -> Literal {
    if let value = Int64(text) { return .integer(value) }
    if let value = UInt64(text) { return .unsignedInteger(value) }
    return .decimal(text)
  }

  /// The primaries that start with a reserved word: `NULL`, `TRUE`, `CASE`, `EXISTS`,
  /// `DEFAULT`, `ROW(...)`, `VALUES(c)`, `CONVERT(...)`, `INTERVAL`, and the functions named by
  /// reserved words (`IF(...)`, `LEFT(...)`, `CURRENT_TIMESTAMP`, ...).
  private mutating func parseReservedWordPrimary() throws(ParseError) -> Expr {
    let token = current
    guard let keyword = token.keyword else { throw unexpected() }
    switch keyword {
    case .null:
      advance()
      return .literal(.null)
    case .true, .false:
      advance()
      return .literal(.boolean(keyword == .true))
    case .default:
      advance()
      guard accept(.leftParen) else { return .defaultValue(nil) }
      let column = try parseColumnName()
      try expect(.rightParen)
      return .defaultValue(column)
    case .case:
      return try parseCase()
    case .exists:
      advance()
      guard isSymbol(.leftParen), case .query(let query) = try parseParenthesizedContents() else {
        throw error(at: peek(1))
      }
      return .exists(query)
    case .interval:
      return try parseInterval()
    case .row:
      advance()
      guard isSymbol(.leftParen), case .expressions(let list) = try parseParenthesizedContents(),
        list.count >= 2
      else { throw error(at: token) }
      return .row(list)
    case .values:
      advance()
      try expect(.leftParen)
      let column = try parseColumnName()
      try expect(.rightParen)
      return .values(column)
    case .convert:
      return try parseConvert()
    case .currentDate, .currentTime, .currentTimestamp, .localTime, .localTimestamp, .utcDate,
      .utcTime, .utcTimestamp, .currentUser:
      advance()
      let name = keyword.rawValue.lowercased()
      guard isSymbol(.leftParen) else { return .function(FunctionCall(name: name, arguments: [])) }
      return try parseFunctionArguments(named: name)
    default:
      guard FunctionCall.reservedFunctionNames.contains(keyword.rawValue),
        peek(1).kind == .symbol(.leftParen)
      else { throw unexpected() }
      advance()
      return try parseFunctionArguments(named: keyword.rawValue.lowercased())
    }
  }

  /// A column, a function call, a typed literal (`DATE '...'`) or a string with a character
  /// set introducer (`_utf8mb4'...'`).
  private mutating func parseNamePrimary() throws(ParseError) -> Expr {
    if case .word(let text) = current.kind, case .string = peek(1).kind {
      if let keyword = current.keyword, let kind = Parser.temporalKinds[keyword] {
        advance()
        return .literal(.temporal(kind, Quoting.text(try stringBytes())))
      }
      let charset = text.dropFirst().lowercased()
      if text.hasPrefix("_") && Parser.charsets.contains(charset) {
        advance()
        return .literal(.string(try stringBytes(), charset: charset))
      }
    }
    if peek(1).kind == .symbol(.leftParen) {
      return try parseFunctionCall(named: try anyName().lowercased())
    }
    return .column(try parseColumnName())
  }

  private static let temporalKinds: [Keyword: Literal.TemporalKind] = [
    .date: .date, .time: .time, .timestamp: .timestamp,
  ]

  /// MySQL's character sets: the names a `_name'...'` introducer may give.
  static let charsets: Set<String> = [
    "armscii8", "ascii", "big5", "binary", "cp1250", "cp1251", "cp1256", "cp1257", "cp850",
    "cp852", "cp866", "cp932", "dec8", "eucjpms", "euckr", "gb18030", "gb2312", "gbk", "geostd8",
    "greek", "hebrew", "hp8", "keybcs2", "koi8r", "koi8u", "latin1", "latin2", "latin5", "latin7",
    "macce", "macroman", "sjis", "swe7", "tis620", "ucs2", "ujis", "utf16", "utf16le", "utf32",
    "utf8", "utf8mb3", "utf8mb4",
  ]

  /// `c`, `t.c` or `db.t.c`.
  mutating func parseColumnName() throws(ParseError) -> ColumnName {
    let first = try qualifier()
    guard accept(.dot) else { return ColumnName(name: first) }
    let second = try anyName()
    guard accept(.dot) else { return ColumnName(table: TableName(name: first), name: second) }
    return ColumnName(table: TableName(schema: first, name: second), name: try anyName())
  }

  /// The first part of a name: an identifier, or any word right before a dot (`select.t`).
  mutating func qualifier() throws(ParseError) -> String {
    if case .word = current.kind, peek(1).kind == .symbol(.dot) { return try anyName() }
    return try identifier()
  }

  /// A call of the function `name`, from its `(`.
  private mutating func parseFunctionCall(named name: String) throws(ParseError) -> Expr {
    if let aggregate = AggregateFunction(rawValue: name) { return try parseAggregate(aggregate) }
    switch name {
    case "cast":
      try expect(.leftParen)
      let operand = try parseExpression()
      try expect(.as)
      let type = try parseCastType()
      try expect(.rightParen)
      return .cast(operand, type)
    case "substring", "substr":
      return try parseSubstring(named: name)
    case "trim":
      return try parseTrim()
    case "position":
      try expect(.leftParen)
      let needle = try parseBitExpression()
      try expect(.in)
      let haystack = try parseExpression()
      try expect(.rightParen)
      return .function(FunctionCall(name: "locate", arguments: [needle, haystack]))
    default:
      return try parseFunctionArguments(named: name)
    }
  }

  /// `(a, b, ...)` or `()` after a function's name.
  private mutating func parseFunctionArguments(named name: String) throws(ParseError) -> Expr {
    try expect(.leftParen)
    let arguments = isSymbol(.rightParen) ? [] : try parseExpressionList()
    try expect(.rightParen)
    return .function(FunctionCall(name: name, arguments: arguments))
  }

  /// `SUBSTRING(s, p[, n])` or `SUBSTRING(s FROM p [FOR n])`.
  private mutating func parseSubstring(named name: String) throws(ParseError) -> Expr {
    try expect(.leftParen)
    var arguments = [try parseExpression()]
    if accept(.from) {
      arguments.append(try parseExpression())
      if accept(.for) { arguments.append(try parseExpression()) }
    } else {
      try expect(.comma)
      arguments.append(try parseExpression())
      if accept(.comma) { arguments.append(try parseExpression()) }
    }
    try expect(.rightParen)
    return .function(FunctionCall(name: name, arguments: arguments))
  }

  /// `TRIM([{BOTH|LEADING|TRAILING}] [remstr] FROM s)` or `TRIM(s)`: a call
  /// `trim(s, remstr, direction)` (direction 1 both, 2 leading, 3 trailing, as TiDB numbers
  /// them; remstr a space when not given), or `trim(s)`.
  private mutating func parseTrim() throws(ParseError) -> Expr {
    try expect(.leftParen)
    var direction: Int64?
    if case .word(let word) = current.kind {
      switch word.uppercased() {
      case "BOTH": direction = 1
      case "LEADING": direction = 2
      case "TRAILING": direction = 3
      default: break
      }
      if direction != nil { advance() }
    }
    var removed: Expr?
    if !accept(.from) {
      let first = try parseExpression()
      if accept(.from) {
        removed = first
      } else {
        guard direction == nil else { throw unexpected() }
        var arguments = [first]
        while accept(.comma) { arguments.append(try parseExpression()) }
        try expect(.rightParen)
        return .function(FunctionCall(name: "trim", arguments: arguments))
      }
    }
    let text = try parseExpression()
    try expect(.rightParen)
    return .function(
      FunctionCall(
        name: "trim",
        arguments: [
          text, removed ?? .literal(.string([UInt8(ascii: " ")], charset: nil)),
          .literal(.integer(direction ?? 1)),
        ]))
  }

  /// An aggregate's arguments, from its `(`: `*` (for `COUNT`), `DISTINCT`, and for
  /// `GROUP_CONCAT` several values, `ORDER BY` and `SEPARATOR`.
  private mutating func parseAggregate(_ function: AggregateFunction) throws(ParseError) -> Expr {
    try expect(.leftParen)
    var call = AggregateCall(function: function, arguments: [])
    if isKeyword(.distinct) {
      guard function.allowsDistinct else { throw unexpected() }
      advance()
      call.distinct = true
    } else {
      _ = accept(.all)
    }
    if function == .count && !call.distinct && accept(.star) {
      try expect(.rightParen)
      return .aggregate(call)
    }
    call.arguments = [try parseExpression()]
    if function == .groupConcat || (function == .count && call.distinct) {
      while accept(.comma) { call.arguments.append(try parseExpression()) }
    }
    if function == .groupConcat {
      if accept(.order) {
        try expect(.by)
        call.orderBy = try parseOrderByList()
      }
      if accept(.separator) { call.separator = try stringBytes() }
    }
    try expect(.rightParen)
    return .aggregate(call)
  }

  /// `CASE [x] WHEN ... THEN ... [ELSE ...] END`.
  private mutating func parseCase() throws(ParseError) -> Expr {
    try expect(.case)
    let operand = isKeyword(.when) ? nil : try parseExpression()
    var branches: [WhenClause] = []
    while accept(.when) {
      let condition = try parseExpression()
      try expect(.then)
      branches.append(WhenClause(condition: condition, result: try parseExpression()))
    }
    guard !branches.isEmpty else { throw unexpected() }
    let elseResult = accept(.else) ? try parseExpression() : nil
    try expect(.end)
    return .caseWhen(CaseExpression(operand: operand, branches: branches, elseResult: elseResult))
  }

  /// `INTERVAL x unit`, or the function `INTERVAL(n, a, b, ...)`.
  private mutating func parseInterval() throws(ParseError) -> Expr {
    try expect(.interval)
    let value: Expr
    if isSymbol(.leftParen) {
      switch try parseParenthesizedContents() {
      case .expressions(let list) where list.count >= 2:
        return .function(FunctionCall(name: "interval", arguments: list))
      case .expressions(let list): value = list[0]
      case .query(let query): value = .subquery(query)
      }
    } else {
      value = try parseExpression()
    }
    guard case .word(let text) = current.kind, let unit = TimeUnit(rawValue: text.uppercased())
    else { throw unexpected() }
    advance()
    return .interval(value, unit)
  }

  /// `CONVERT(x, type)` or `CONVERT(x USING charset)`.
  private mutating func parseConvert() throws(ParseError) -> Expr {
    try expect(.convert)
    try expect(.leftParen)
    let operand = try parseExpression()
    if accept(.using) {
      let charset = try nameOrString().lowercased()
      try expect(.rightParen)
      return .convertUsing(operand, charset: charset)
    }
    try expect(.comma)
    let type = try parseCastType()
    try expect(.rightParen)
    return .cast(operand, type)
  }

  /// The type of `CAST` and `CONVERT`.
  private mutating func parseCastType() throws(ParseError) -> CastType {
    let token = current
    guard let keyword = token.keyword else { throw unexpected() }
    advance()
    switch keyword {
    case .binary:
      return .binary(length: try optionalLength())
    case .char, .character:
      let length = try optionalLength()
      return .char(length: length, charset: try parseCharsetClause())
    case .nchar:
      return .char(length: try optionalLength(), charset: "utf8")
    case .date:
      return .date
    case .datetime:
      return .dateTime(precision: try optionalLength())
    case .time:
      return .time(precision: try optionalLength())
    case .decimal, .dec, .numeric:
      guard accept(.leftParen) else { return .decimal(precision: nil, scale: nil) }
      let precision = try length()
      let scale = accept(.comma) ? try length() : nil
      try expect(.rightParen)
      return .decimal(precision: precision, scale: scale)
    case .signed, .unsigned:
      _ = accept(.int) || accept(.integer)
      return keyword == .signed ? .signed : .unsigned
    case .double:
      _ = accept(.precision)
      return .double
    case .real:
      return .double
    case .float:
      return try optionalLength().map { $0 > 24 } == true ? .double : .float
    case .json:
      return .json
    default:
      throw error(at: token)
    }
  }

  /// `CHARACTER SET name` or `CHARSET name` (lower-cased), if next.
  mutating func parseCharsetClause() throws(ParseError) -> String? {
    if isKeyword(.character) && peek(1).keyword == .set {
      advance()
      advance()
    } else if !accept(.charset) {
      return nil
    }
    return try nameOrString().lowercased()
  }
}
