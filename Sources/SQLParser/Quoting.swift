/// How the AST prints names and strings back as SQL.
enum Quoting {
  /// `name` in backquotes, a backquote inside doubled: always safe, keyword or not.
  static func identifier(_ name: String) -> String {
    var quoted = "`"
    for character in name {
      quoted.append(character)
      if character == "`" { quoted.append("`") }
    }
    return quoted + "`"
  }

  /// A name as MySQL's own output writes it (a character set, collation or engine): bare when
  /// it is a plain word that no keyword reserves, else backquoted.
  static func name(_ name: String) -> String {
    isPlainWord(name) ? name : identifier(name)
  }

  /// Whether `name` can be written bare: name characters, not all digits, not reserved.
  static func isPlainWord(_ name: String) -> Bool {
    let bytes = Array(name.utf8)
    guard let first = bytes.first, !Lexer.isDigit(first),
      bytes.allSatisfy({ $0 < 0x80 && Lexer.isIdentifierByte($0) })
    else { return false }
    return !Keyword.isReserved(name.uppercased())
  }

  /// `bytes` as a single-quoted string literal that the lexer reads back to the same bytes;
  /// bytes that are not UTF-8 (which no parsed string holds) as a hexadecimal literal.
  static func string(_ bytes: [UInt8]) -> String {
    guard String(validating: bytes, as: UTF8.self) != nil else { return hex(bytes) }
    var escaped: [UInt8] = [UInt8(ascii: "'")]
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "'"): escaped += Array("\\'".utf8)
      case UInt8(ascii: "\\"): escaped += Array("\\\\".utf8)
      case 0: escaped += Array("\\0".utf8)
      case 0x0A: escaped += Array("\\n".utf8)
      case 0x0D: escaped += Array("\\r".utf8)
      case 0x1A: escaped += Array("\\Z".utf8)
      default: escaped.append(byte)
      }
    }
    escaped.append(UInt8(ascii: "'"))
    return String(decoding: escaped, as: UTF8.self)
  }

  /// `X'...'` with two upper-case hexadecimal digits a byte.
  static func hex(_ bytes: [UInt8]) -> String {
    let digits = Array("0123456789ABCDEF".utf8)
    var text = Array("X'".utf8)
    for byte in bytes {
      text.append(digits[Int(byte >> 4)])
      text.append(digits[Int(byte & 0x0F)])
    }
    text.append(UInt8(ascii: "'"))
    return String(decoding: text, as: UTF8.self)
  }

  /// `b'...'` with eight binary digits a byte.
  static func bits(_ bytes: [UInt8]) -> String {
    let digits = bytes.map { byte in
      String((0..<8).reversed().map { byte >> $0 & 1 == 1 ? "1" : "0" })
    }
    return "b'" + digits.joined() + "'"
  }

  /// A string the lexer gave as bytes (all UTF-8, since they come from a Swift string), as text.
  static func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
}
