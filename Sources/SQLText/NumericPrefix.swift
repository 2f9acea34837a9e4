/// Reading a number out of a string where MySQL expects one: `'12abc'` is 12, `'abc'` 0.
public enum NumericPrefix {
  /// The number a string starts with after leading whitespace: an optional sign, digits, an
  /// optional fraction and exponent; 0 if none, DOUBLE's largest value (with the sign) past
  /// its range.
  public static func real(of bytes: [UInt8]) -> Double {
    var index = bytes.firstIndex { !isSpace($0) } ?? bytes.endIndex
    let start = index
    func skipDigits() -> Bool {
      let first = index
      while index < bytes.endIndex, isDigit(bytes[index]) { index += 1 }
      return index > first
    }
    func skipSign() {
      if index < bytes.endIndex,
        bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")
      {
        index += 1
      }
    }
    skipSign()
    var digits = skipDigits()
    if index < bytes.endIndex, bytes[index] == UInt8(ascii: ".") {
      index += 1
      digits = skipDigits() || digits
    }
    guard digits else { return 0 }
    var end = index
    if index < bytes.endIndex, bytes[index] | 0x20 == UInt8(ascii: "e") {
      index += 1
      skipSign()
      if skipDigits() { end = index }
    }
    let value = Double(String(decoding: bytes[start..<end], as: UTF8.self)) ?? 0
    return value.isFinite ? value : value < 0 ? -.greatestFiniteMagnitude : .greatestFiniteMagnitude
  }

  /// MySQL's whitespace: space, tab, line feed, vertical tab, form feed, carriage return.
  public static func isSpace(_ byte: UInt8) -> Bool {
    byte == UInt8(ascii: " ") || (0x09...0x0D).contains(byte)
  }

  /// An ASCII digit.
  public static func isDigit(_ byte: UInt8) -> Bool {
    (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
  }
}
