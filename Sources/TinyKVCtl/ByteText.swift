import Foundation

/// How the command line reads and prints keys and values.
enum ByteText {
  /// `text` as bytes: UTF-8, or hex digits when `hex` is set (spaces and a `0x` prefix allowed).
  static func parse(_ text: String, hex: Bool) throws -> Data {
    guard hex else { return Data(text.utf8) }
    var digits = text.filter { !$0.isWhitespace }
    if digits.hasPrefix("0x") || digits.hasPrefix("0X") { digits.removeFirst(2) }
    guard digits.count % 2 == 0 else {
      throw CtlError("\"\(text)\" is not hex: it has an odd number of digits")
    }
    var bytes = Data(capacity: digits.count / 2)
    var index = digits.startIndex
    while index < digits.endIndex {
      let next = digits.index(index, offsetBy: 2)
      guard let byte = UInt8(digits[index..<next], radix: 16) else {
        throw CtlError("\"\(text)\" is not hex: \"\(digits[index..<next])\" is not a byte")
      }
      bytes.append(byte)
      index = next
    }
    return bytes
  }

  /// `bytes` printable on one line: printable ASCII as is, a backslash as `\\`, anything else
  /// as `\xNN`.
  static func escape(_ bytes: Data) -> String {
    var out = ""
    out.reserveCapacity(bytes.count)
    for byte in bytes {
      switch byte {
      case UInt8(ascii: "\\"): out += "\\\\"
      case 0x20..<0x7f: out.unicodeScalars.append(Unicode.Scalar(byte))
      default: out += "\\x" + String(byte, radix: 16, uppercase: false).leftPadded(to: 2)
      }
    }
    return out
  }

  /// `bytes` as lowercase hex digits.
  static func hex(_ bytes: Data) -> String {
    bytes.map { String($0, radix: 16).leftPadded(to: 2) }.joined()
  }
}

extension String {
  fileprivate func leftPadded(to width: Int) -> String {
    count >= width ? self : String(repeating: "0", count: width - count) + self
  }
}

/// A failure reported to the user as one line, with a non-zero exit.
struct CtlError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
