/// Splits a query's UTF-8 into tokens as MySQL's lexer does: whitespace and comments (`-- `,
/// `#`, `/* */`) skipped, the content of `/*! ... */` read as SQL, keywords matched whatever
/// their case. Text that is no token (an unterminated string or comment, a stray byte) ends the
/// list with an `.invalid` token where it starts; otherwise the list ends with `.end`.
struct Lexer {
  let bytes: [UInt8]
  var index = 0
  var line = 1
  /// Where the `/*!` comment being read as SQL began, while inside one.
  private var versionComment: (start: Int, line: Int)?
  private(set) var tokens: [Token] = []

  /// The tokens of `bytes`.
  static func tokenize(_ bytes: [UInt8]) -> [Token] {
    var lexer = Lexer(bytes: bytes)
    lexer.run()
    return lexer.tokens
  }

  private init(bytes: [UInt8]) { self.bytes = bytes }

  private mutating func run() {
    while true {
      if let unterminated = skipSpaceAndComments() {
        append(.invalid, start: unterminated.start, line: unterminated.line)
        return
      }
      guard index < bytes.count else {
        if let open = versionComment {
          append(.invalid, start: open.start, line: open.line)
        } else {
          append(.end, start: bytes.count, line: line)
        }
        return
      }
      let start = index
      let startLine = line
      let kind = nextToken()
      append(kind, start: start, line: startLine)
      if kind == .invalid { return }
    }
  }

  private mutating func append(_ kind: TokenKind, start: Int, line: Int) {
    var keyword: Keyword?
    var isReserved = false
    if case .word(let text) = kind {
      let upper = String(decoding: text.utf8.map(Lexer.upperCased), as: UTF8.self)
      keyword = Keyword.named(upper)
      isReserved = Keyword.isReserved(upper)
    }
    tokens.append(
      Token(
        kind: kind, keyword: keyword, isReserved: isReserved, start: start,
        end: max(index, start), line: line))
  }

  /// Skips whitespace and comments; returns where an unterminated comment starts, if one does.
  private mutating func skipSpaceAndComments() -> (start: Int, line: Int)? {
    while index < bytes.count {
      switch bytes[index] {
      case 0x0A:
        line += 1
        index += 1
      case 0x20, 0x09, 0x0D, 0x0B, 0x0C:
        index += 1
      case UInt8(ascii: "#"):
        skipToEndOfLine()
      case UInt8(ascii: "-")
      where byte(at: index + 1) == UInt8(ascii: "-")
        && (byte(at: index + 2).map { $0 <= 0x20 } ?? true):
        skipToEndOfLine()
      case UInt8(ascii: "/") where byte(at: index + 1) == UInt8(ascii: "*"):
        if byte(at: index + 2) == UInt8(ascii: "!") {
          if versionComment == nil { versionComment = (index, line) }
          index += 3
          var digits = 0
          while digits < 6, let digit = byte(at: index), Lexer.isDigit(digit) {
            index += 1
            digits += 1
          }
        } else if !skipBlockComment() {
          return (index, line)
        }
      case UInt8(ascii: "*")
      where versionComment != nil && byte(at: index + 1) == UInt8(ascii: "/"):
        versionComment = nil
        index += 2
      default:
        return nil
      }
    }
    return nil
  }

  private mutating func skipToEndOfLine() {
    while index < bytes.count, bytes[index] != 0x0A { index += 1 }
  }

  /// Skips a `/* ... */` comment starting at `index`; false (and nothing skipped) if it never
  /// ends.
  private mutating func skipBlockComment() -> Bool {
    var cursor = index + 2
    var newlines = 0
    while cursor + 1 < bytes.count {
      if bytes[cursor] == UInt8(ascii: "*") && bytes[cursor + 1] == UInt8(ascii: "/") {
        index = cursor + 2
        line += newlines
        return true
      }
      if bytes[cursor] == 0x0A { newlines += 1 }
      cursor += 1
    }
    return false
  }

  private mutating func nextToken() -> TokenKind {
    let first = bytes[index]
    let second = byte(at: index + 1)
    switch first {
    case UInt8(ascii: "'"), UInt8(ascii: "\""):
      return lexString()
    case UInt8(ascii: "`"):
      return lexQuotedIdentifier()
    case UInt8(ascii: "0")...UInt8(ascii: "9"):
      return followsQualifierDot ? lexWord() : lexNumberOrWord()
    case UInt8(ascii: ".") where second.map(Lexer.isDigit) == true && !followsWord:
      return lexNumberOrWord()
    case UInt8(ascii: "?"):
      index += 1
      return .parameter
    case UInt8(ascii: "@"):
      return lexVariable()
    case UInt8(ascii: "N"), UInt8(ascii: "n"):
      guard second == UInt8(ascii: "'") else { return lexWord() }
      index += 1
      guard case .string(let value, _) = lexString() else { return .invalid }
      return .string(value, national: true)
    case UInt8(ascii: "X"), UInt8(ascii: "x"):
      return second == UInt8(ascii: "'") ? lexQuotedHex() : lexWord()
    case UInt8(ascii: "B"), UInt8(ascii: "b"):
      return second == UInt8(ascii: "'") ? lexQuotedBits() : lexWord()
    default:
      return Lexer.isIdentifierByte(first) ? lexWord() : lexSymbol()
    }
  }

  /// Whether the previous token is a word or quoted identifier ending right here (so `.5`
  /// after it is a dot and a name, as in `t.5`).
  private var followsWord: Bool {
    guard let last = tokens.last, last.end == index else { return false }
    switch last.kind {
    case .word, .quotedIdentifier: return true
    default: return false
    }
  }

  /// Whether the previous token is a dot right after a name (so `1a` in `t.1a` is a name).
  private var followsQualifierDot: Bool {
    guard tokens.count >= 2, let dot = tokens.last, dot.end == index,
      dot.kind == .symbol(.dot)
    else { return false }
    let qualifier = tokens[tokens.count - 2]
    guard qualifier.end == dot.start else { return false }
    switch qualifier.kind {
    case .word, .quotedIdentifier: return true
    default: return false
    }
  }

  /// An unquoted word: letters, digits, `_`, `$` and any non-ASCII character.
  mutating func lexWord() -> TokenKind {
    let start = index
    while index < bytes.count, Lexer.isIdentifierByte(bytes[index]) { index += 1 }
    return .word(String(decoding: bytes[start..<index], as: UTF8.self))
  }

  private mutating func lexSymbol() -> TokenKind {
    for length in [3, 2, 1] where index + length <= bytes.count {
      let text = String(decoding: bytes[index..<index + length], as: UTF8.self)
      if let symbol = Symbol(rawValue: text) {
        index += length
        return .symbol(symbol)
      }
    }
    return .invalid
  }

  func byte(at offset: Int) -> UInt8? { offset < bytes.count ? bytes[offset] : nil }

  static func isDigit(_ byte: UInt8) -> Bool { byte >= 0x30 && byte <= 0x39 }

  static func isIdentifierByte(_ byte: UInt8) -> Bool {
    switch byte {
    case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
      UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "$"), 0x80...0xFF:
      return true
    default:
      return false
    }
  }

  static func upperCased(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z") ? byte - 0x20 : byte
  }
}
