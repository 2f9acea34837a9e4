/// The SQL parser's entry points: MySQL 8's dialect, as TinySQL and TiDB parse it, to the AST
/// of ``Statement``.
///
/// A query may hold several statements separated by `;` (empty ones are skipped). Each
/// statement's `?` placeholders are numbered from 0 in order of appearance
/// (``Expr/parameter(_:)``, ``LimitValue/parameter(_:)``), and ``ParsedStatement`` counts them.
/// Every failure is a ``ParseError`` worded as MySQL words it.
public enum SQLParser {
  /// The statements of `sql`, in order.
  public static func parse(_ sql: String) throws(ParseError) -> [Statement] {
    try parseScript(sql).map(\.statement)
  }

  /// The one statement of `sql` (a trailing `;` allowed); none is MySQL's "Query was empty",
  /// a second one a syntax error where it starts.
  public static func parseOne(_ sql: String) throws(ParseError) -> Statement {
    try prepare(sql).statement
  }

  /// The statements of `sql` with their text and placeholder counts.
  public static func parseScript(_ sql: String) throws(ParseError) -> [ParsedStatement] {
    var parser = Parser(sql)
    var statements: [ParsedStatement] = []
    while let statement = try parser.parseNextStatement() { statements.append(statement) }
    return statements
  }

  /// The one statement of `sql`, as `COM_STMT_PREPARE` takes it, with its placeholder count.
  public static func prepare(_ sql: String) throws(ParseError) -> ParsedStatement {
    var parser = Parser(sql)
    guard let statement = try parser.parseNextStatement() else { throw ParseError.emptyQuery }
    try parser.expectEndOfScript()
    return statement
  }
}

/// A statement with its source text and placeholder count.
public struct ParsedStatement: Sendable, Hashable {
  /// The statement.
  public var statement: Statement
  /// The statement's text as written, without the `;` that ended it.
  public var text: String
  /// How many `?` placeholders it has (their indexes are `0..<parameterCount`).
  public var parameterCount: Int

  /// A parsed statement.
  public init(statement: Statement, text: String, parameterCount: Int) {
    self.statement = statement
    self.text = text
    self.parameterCount = parameterCount
  }
}
