/// Why a statement could not be parsed, with MySQL's code, SQLSTATE and message, so the server
/// can answer with the ERR packet MySQL itself would send.
///
/// Almost every failure is MySQL's 1064 (`ER_PARSE_ERROR`): an unexpected token, a string,
/// comment or backquoted identifier left open, a nesting too deep to parse. The message quotes
/// the query from the failing token on (at most 80 characters) and names the token's line. An
/// input with no statement at all is 1065 (`ER_EMPTY_QUERY`).
public struct ParseError: Error, Sendable, Equatable, CustomStringConvertible {
  /// MySQL's error code: 1064 for a syntax error, 1065 for an empty query.
  public let code: Int
  /// The SQLSTATE MySQL sends with the error (`42000` for both codes).
  public let sqlState: String
  /// The byte offset, in the query's UTF-8, of the token that failed (its length at the end).
  public let offset: Int
  /// The 1-based line of that token.
  public let line: Int
  /// The message, worded as MySQL words it.
  public let message: String

  /// The most characters of the query MySQL quotes after `near`.
  static let nearLimit = 80

  /// A syntax error (1064) at `offset` (on `line`) of `sql`, quoting what follows the offset.
  static func syntax(in sql: [UInt8], at offset: Int, line: Int) -> ParseError {
    let rest = String(decoding: sql[min(offset, sql.count)...], as: UTF8.self)
    let near = String(String.UnicodeScalarView(rest.unicodeScalars.prefix(nearLimit)))
    let message =
      "You have an error in your SQL syntax; check the manual that corresponds to your MySQL "
      + "server version for the right syntax to use near '\(near)' at line \(line)"
    return ParseError(code: 1064, sqlState: "42000", offset: offset, line: line, message: message)
  }

  /// The error for a query with no statement in it (1065).
  static let emptyQuery = ParseError(
    code: 1065, sqlState: "42000", offset: 0, line: 1, message: "Query was empty")

  /// The message, as the server sends it.
  public var description: String { message }
}
