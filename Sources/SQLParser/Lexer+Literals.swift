/// The lexer's literals: numbers, strings, quoted identifiers and variables.
extension Lexer {
  /// A number (`12`, `1.5`, `.5`, `1e3`, `0x1F`, `0b01`), or a word that starts with digits
  /// (`123abc`, `0x1G`), which MySQL reads as an identifier.
  mutating func lexNumberOrWord() -> TokenKind {
    let start = index
    if let prefixed = lexPrefixedNumber() { return prefixed }
    var cursor = index
    while let digit = byte(at: cursor), Lexer.isDigit(digit) { cursor += 1 }
    if byte(at: cursor) == UInt8(ascii: ".") {
      cursor += 1
      while let digit = byte(at: cursor), Lexer.isDigit(digit) { cursor += 1 }
      if let end = exponentEnd(at: cursor) {
        index = end
        return .float(text(start..<end))
      }
      index = cursor
      return .decimal(text(start..<cursor))
    }
    if let end = exponentEnd(at: cursor) {
      index = end
      return .float(text(start..<end))
    }
    if let next = byte(at: cursor), Lexer.isIdentifierByte(next) { return lexWord() }
    index = cursor
    return .integer(text(start..<cursor))
  }

  /// `0x1F` or `0b01`, unless a name character follows the digits (then it is a word).
  private mutating func lexPrefixedNumber() -> TokenKind? {
    guard bytes[index] == UInt8(ascii: "0"), let marker = byte(at: index + 1),
      marker == UInt8(ascii: "x") || marker == UInt8(ascii: "b")
    else { return nil }
    let isHex = marker == UInt8(ascii: "x")
    var cursor = index + 2
    while let digit = byte(at: cursor), isHex ? Lexer.isHexDigit(digit) : Lexer.isBit(digit) {
      cursor += 1
    }
    guard cursor > index + 2, byte(at: cursor).map(Lexer.isIdentifierByte) != true else {
      return nil
    }
    let digits = bytes[index + 2..<cursor]
    index = cursor
    return isHex ? .hex(Lexer.hexBytes(digits)) : .bit(Lexer.bitBytes(digits))
  }

  /// The end of an exponent (`e3`, `E-2`) starting at `offset`, if one does.
  private func exponentEnd(at offset: Int) -> Int? {
    guard let marker = byte(at: offset), marker == UInt8(ascii: "e") || marker == UInt8(ascii: "E")
    else { return nil }
    var cursor = offset + 1
    if let sign = byte(at: cursor), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
      cursor += 1
    }
    guard let first = byte(at: cursor), Lexer.isDigit(first) else { return nil }
    while let digit = byte(at: cursor), Lexer.isDigit(digit) { cursor += 1 }
    return cursor
  }

  /// `X'1F'`: an even number of hexadecimal digits between the quotes.
  mutating func lexQuotedHex() -> TokenKind {
    var cursor = index + 2
    while let digit = byte(at: cursor), Lexer.isHexDigit(digit) { cursor += 1 }
    guard byte(at: cursor) == UInt8(ascii: "'"), (cursor - index) % 2 == 0 else { return .invalid }
    let digits = bytes[index + 2..<cursor]
    index = cursor + 1
    return .hex(Lexer.hexBytes(digits))
  }

  /// `b'0101'`: binary digits between the quotes.
  mutating func lexQuotedBits() -> TokenKind {
    var cursor = index + 2
    while let digit = byte(at: cursor), Lexer.isBit(digit) { cursor += 1 }
    guard byte(at: cursor) == UInt8(ascii: "'") else { return .invalid }
    let digits = bytes[index + 2..<cursor]
    index = cursor + 1
    return .bit(Lexer.bitBytes(digits))
  }

  /// A string in the quotes found at `index`: backslash escapes applied as MySQL applies them
  /// (`\%` and `\_` keep their backslash, for LIKE), a doubled quote standing for one.
  mutating func lexString() -> TokenKind {
    let quote = bytes[index]
    index += 1
    var value: [UInt8] = []
    while index < bytes.count {
      let current = bytes[index]
      if current == UInt8(ascii: "\\") {
        guard let escaped = byte(at: index + 1) else { break }
        value += Lexer.unescape(escaped)
        if escaped == 0x0A { line += 1 }
        index += 2
      } else if current == quote {
        guard byte(at: index + 1) == quote else {
          index += 1
          return .string(value, national: false)
        }
        value.append(quote)
        index += 2
      } else {
        if current == 0x0A { line += 1 }
        value.append(current)
        index += 1
      }
    }
    return .invalid
  }

  /// A `backquoted` identifier; two backquotes stand for one.
  mutating func lexQuotedIdentifier() -> TokenKind {
    index += 1
    var name: [UInt8] = []
    while index < bytes.count {
      let current = bytes[index]
      if current == UInt8(ascii: "`") {
        guard byte(at: index + 1) == current else {
          index += 1
          return .quotedIdentifier(String(decoding: name, as: UTF8.self))
        }
        index += 2
      } else {
        if current == 0x0A { line += 1 }
        index += 1
      }
      name.append(current)
    }
    return .invalid
  }

  /// `@name` or `@@[global.|session.|local.]name`; either name may be quoted.
  mutating func lexVariable() -> TokenKind {
    guard byte(at: index + 1) == UInt8(ascii: "@") else {
      index += 1
      return lexVariableName(allowingDots: true).map { .userVariable($0) } ?? .invalid
    }
    index += 2
    var scope: VariableScope?
    for (prefix, prefixScope) in Lexer.scopePrefixes where hasPrefix(prefix) {
      scope = prefixScope
      index += prefix.count
      break
    }
    return lexVariableName(allowingDots: false).map { .systemVariable($0, scope: scope) }
      ?? .invalid
  }

  private static let scopePrefixes: [([UInt8], VariableScope)] = [
    (Array("GLOBAL.".utf8), .global), (Array("SESSION.".utf8), .session),
    (Array("LOCAL.".utf8), .session),
  ]

  /// Whether the bytes at `index` spell `upperCasedPrefix`, whatever their case.
  private func hasPrefix(_ upperCasedPrefix: [UInt8]) -> Bool {
    guard index + upperCasedPrefix.count <= bytes.count else { return false }
    return zip(bytes[index...], upperCasedPrefix).allSatisfy { Lexer.upperCased($0) == $1 }
  }

  /// A variable's name: quoted as an identifier or string, or name characters (and dots, for
  /// user variables).
  private mutating func lexVariableName(allowingDots: Bool) -> String? {
    guard let first = byte(at: index) else { return nil }
    switch first {
    case UInt8(ascii: "`"):
      guard case .quotedIdentifier(let name) = lexQuotedIdentifier() else { return nil }
      return name
    case UInt8(ascii: "'"), UInt8(ascii: "\""):
      guard case .string(let name, _) = lexString() else { return nil }
      return String(decoding: name, as: UTF8.self)
    default:
      let start = index
      while let next = byte(at: index),
        Lexer.isIdentifierByte(next) || (allowingDots && next == UInt8(ascii: "."))
      {
        index += 1
      }
      return index > start ? text(start..<index) : nil
    }
  }

  private func text(_ range: Range<Int>) -> String {
    String(decoding: bytes[range], as: UTF8.self)
  }

  static func unescape(_ byte: UInt8) -> [UInt8] {
    switch byte {
    case UInt8(ascii: "0"): [0]
    case UInt8(ascii: "b"): [0x08]
    case UInt8(ascii: "n"): [0x0A]
    case UInt8(ascii: "r"): [0x0D]
    case UInt8(ascii: "t"): [0x09]
    case UInt8(ascii: "Z"): [0x1A]
    case UInt8(ascii: "%"), UInt8(ascii: "_"): [UInt8(ascii: "\\"), byte]
    default: [byte]
    }
  }

  static func isHexDigit(_ byte: UInt8) -> Bool {
    isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20)
  }

  static func isBit(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: "0") || byte == UInt8(ascii: "1")
  }

  /// The bytes hexadecimal digits spell, an odd count read as if led by a zero.
  static func hexBytes(_ digits: ArraySlice<UInt8>) -> [UInt8] {
    let nibbles = (digits.count % 2 == 1 ? [0] : []) + digits.map(hexValue)
    return stride(from: 0, to: nibbles.count, by: 2).map { nibbles[$0] << 4 | nibbles[$0 + 1] }
  }

  private static func hexValue(_ digit: UInt8) -> UInt8 {
    isDigit(digit) ? digit - UInt8(ascii: "0") : (digit | 0x20) - UInt8(ascii: "a") + 10
  }

  /// The bytes binary digits spell, right-aligned in as few bytes as hold them.
  static func bitBytes(_ digits: ArraySlice<UInt8>) -> [UInt8] {
    var result = [UInt8](repeating: 0, count: (digits.count + 7) / 8)
    for (position, digit) in digits.reversed().enumerated() where digit == UInt8(ascii: "1") {
      result[result.count - 1 - position / 8] |= 1 << (position % 8)
    }
    return result
  }
}
