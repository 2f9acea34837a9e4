/// One lexical token of a query, with where it lies in the query's UTF-8.
struct Token: Sendable {
  /// What the token is.
  var kind: TokenKind
  /// The keyword an unquoted word spells, whatever its case; nil for other tokens and for
  /// words that are no keyword the parser knows.
  var keyword: Keyword?
  /// Whether the token is an unquoted word MySQL reserves (usable as an identifier only when
  /// backquoted, or after a qualifying dot).
  var isReserved: Bool
  /// The byte offset of the token's first byte.
  var start: Int
  /// The byte offset just past the token's last byte.
  var end: Int
  /// The 1-based line the token starts on.
  var line: Int
}

/// The kinds of token the lexer produces.
enum TokenKind: Sendable, Equatable {
  /// An unquoted word: an identifier or a keyword, as written.
  case word(String)
  /// A `backquoted` identifier, with doubled backquotes undone.
  case quotedIdentifier(String)
  /// A string in single or double quotes, escapes applied; `national` for `N'...'`.
  case string([UInt8], national: Bool)
  /// Digits only, as written.
  case integer(String)
  /// Digits with a decimal point and no exponent, as written.
  case decimal(String)
  /// A number with an exponent, as written.
  case float(String)
  /// `0x1F` or `X'1F'`, as bytes.
  case hex([UInt8])
  /// `0b01` or `b'01'`, as bytes.
  case bit([UInt8])
  /// `?`, a prepared statement's placeholder.
  case parameter
  /// `@name`, a user variable.
  case userVariable(String)
  /// `@@name`, `@@session.name` or `@@global.name`, a system variable.
  case systemVariable(String, scope: VariableScope?)
  /// An operator or punctuation.
  case symbol(Symbol)
  /// Text that is no token: an unterminated string, comment or identifier, a stray byte.
  case invalid
  /// The end of the query.
  case end
}

/// Operators and punctuation.
enum Symbol: String, Sendable {
  case leftParen = "("
  case rightParen = ")"
  case comma = ","
  case semicolon = ";"
  case dot = "."
  case equal = "="
  case assign = ":="
  case nullSafeEqual = "<=>"
  case lessOrEqual = "<="
  case notEqualAngle = "<>"
  case shiftLeft = "<<"
  case less = "<"
  case greaterOrEqual = ">="
  case shiftRight = ">>"
  case greater = ">"
  case notEqual = "!="
  case exclamation = "!"
  case plus = "+"
  case minus = "-"
  case star = "*"
  case slash = "/"
  case percent = "%"
  case caret = "^"
  case doubleAmpersand = "&&"
  case ampersand = "&"
  case doublePipe = "||"
  case pipe = "|"
  case tilde = "~"
}
