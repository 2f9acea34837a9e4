/// A hand-written recursive-descent parser over the lexer's tokens, with precedence climbing
/// for expressions. It never backtracks, so `?` placeholders are numbered in the order they
/// appear; its nesting is bounded (``maxDepth``), so no input exhausts the stack.
struct Parser {
  /// The query's UTF-8.
  let source: [UInt8]
  /// The query's tokens, ending with `.end` or `.invalid`.
  let tokens: [Token]
  /// The index of the current token.
  private(set) var position = 0
  /// The placeholders seen so far in the current statement.
  private var parameterCount = 0
  /// How deeply the parse is nested (expressions, subqueries, parenthesised tables).
  private var depth = 0

  /// The deepest nesting parsed (about 100 parentheses, 50 subqueries); deeper input is a
  /// syntax error where it gets too deep. At this depth a parse needs about 0.5 MiB of stack in
  /// a release build and 2 MiB in a debug build.
  static let maxDepth = 100

  init(_ sql: String) {
    source = Array(sql.utf8)
    tokens = Lexer.tokenize(source)
  }

  // MARK: Statements

  /// The next statement of the script, with its text and placeholder count; nil at the end.
  mutating func parseNextStatement() throws(ParseError) -> ParsedStatement? {
    while accept(.semicolon) {}
    if current.kind == .end { return nil }
    parameterCount = 0
    let start = current.start
    let statement = try parseStatement()
    let end = tokens[position - 1].end
    guard accept(.semicolon) || current.kind == .end else { throw unexpected() }
    return ParsedStatement(
      statement: statement, text: String(decoding: source[start..<end], as: UTF8.self),
      parameterCount: parameterCount)
  }

  /// Skips semicolons; then the script must be over.
  mutating func expectEndOfScript() throws(ParseError) {
    while accept(.semicolon) {}
    guard current.kind == .end else { throw unexpected() }
  }

  // MARK: Tokens

  /// The current token.
  var current: Token { tokens[position] }

  /// The token `offset` places after the current one (the last token if past the end).
  func peek(_ offset: Int) -> Token { tokens[min(position + offset, tokens.count - 1)] }

  /// Moves to the next token (never past the last).
  mutating func advance() {
    if position < tokens.count - 1 { position += 1 }
  }

  /// Whether the current token is the keyword `keyword`.
  func isKeyword(_ keyword: Keyword) -> Bool { current.keyword == keyword }

  /// Whether the current token is `symbol`.
  func isSymbol(_ symbol: Symbol) -> Bool { current.kind == .symbol(symbol) }

  /// Consumes the keyword if it is current.
  mutating func accept(_ keyword: Keyword) -> Bool {
    guard isKeyword(keyword) else { return false }
    advance()
    return true
  }

  /// Consumes the symbol if it is current.
  mutating func accept(_ symbol: Symbol) -> Bool {
    guard isSymbol(symbol) else { return false }
    advance()
    return true
  }

  /// Consumes the keyword, or fails where the current token is.
  mutating func expect(_ keyword: Keyword) throws(ParseError) {
    guard accept(keyword) else { throw unexpected() }
  }

  /// Consumes the symbol, or fails where the current token is.
  mutating func expect(_ symbol: Symbol) throws(ParseError) {
    guard accept(symbol) else { throw unexpected() }
  }

  /// Consumes `IF NOT EXISTS` if it is next.
  mutating func acceptIfNotExists() throws(ParseError) -> Bool {
    guard accept(.if) else { return false }
    try expect(.not)
    try expect(.exists)
    return true
  }

  /// Consumes `IF EXISTS` if it is next.
  mutating func acceptIfExists() throws(ParseError) -> Bool {
    guard accept(.if) else { return false }
    try expect(.exists)
    return true
  }

  // MARK: Names and literals

  /// Whether `token` can be an identifier: an unreserved word or a backquoted name.
  static func isIdentifier(_ token: Token) -> Bool {
    switch token.kind {
    case .word: !token.isReserved
    case .quotedIdentifier: true
    default: false
    }
  }

  /// An identifier: an unreserved word or a backquoted name.
  mutating func identifier() throws(ParseError) -> String {
    guard Parser.isIdentifier(current) else { throw unexpected() }
    return try anyName()
  }

  /// Any word, reserved or not, or a backquoted name: what may follow a qualifying dot.
  mutating func anyName() throws(ParseError) -> String {
    switch current.kind {
    case .word(let name), .quotedIdentifier(let name):
      advance()
      return name
    default:
      throw unexpected()
    }
  }

  /// A name MySQL also takes quoted as a string: a character set, collation, engine or
  /// format.
  mutating func nameOrString() throws(ParseError) -> String {
    if case .string = current.kind { return Quoting.text(try stringBytes()) }
    return try anyName()
  }

  /// `name` or `db.name`.
  mutating func tableName() throws(ParseError) -> TableName {
    let first = try qualifier()
    guard accept(.dot) else { return TableName(name: first) }
    return TableName(schema: first, name: try anyName())
  }

  /// A string literal's bytes, adjacent strings joined (`'a' 'b'` is `'ab'`).
  mutating func stringBytes() throws(ParseError) -> [UInt8] {
    guard case .string(var bytes, _) = current.kind else { throw unexpected() }
    advance()
    while case .string(let more, _) = current.kind {
      bytes += more
      advance()
    }
    return bytes
  }

  /// An unsigned integer literal.
  mutating func unsignedInteger() throws(ParseError) -> UInt64 {
    guard case .integer(let text) = current.kind, let value = UInt64(text) else {
      throw unexpected()
    }
    advance()
    return value
  }

  /// A length or count in parentheses' place: an unsigned integer that fits an `Int`.
  mutating func length() throws(ParseError) -> Int {
    let token = current
    guard let value = Int(exactly: try unsignedInteger()) else { throw error(at: token) }
    return value
  }

  /// `(n)` if it is next.
  mutating func optionalLength() throws(ParseError) -> Int? {
    guard accept(.leftParen) else { return nil }
    let value = try length()
    try expect(.rightParen)
    return value
  }

  /// The index of the next `?` placeholder.
  mutating func nextParameter() -> Int {
    defer { parameterCount += 1 }
    return parameterCount
  }

  // MARK: Nesting and errors

  /// Enters one level of nesting; fails when too deep. Pair with `defer { ascend() }`.
  mutating func descend() throws(ParseError) {
    guard depth < Parser.maxDepth else { throw unexpected() }
    depth += 1
  }

  /// Leaves one level of nesting.
  mutating func ascend() { depth -= 1 }

  /// A syntax error at the current token.
  func unexpected() -> ParseError { error(at: current) }

  /// A syntax error at `token`.
  func error(at token: Token) -> ParseError {
    .syntax(in: source, at: token.start, line: token.line)
  }
}
