/// The characters of a string's bytes, as MySQL's utf8mb4 counts them: each well-formed UTF-8
/// sequence is one character (a code point, not a grapheme cluster: `e` and a combining accent
/// are two), and each byte of a malformed sequence is a character of its own (Go's rule, which
/// TinySQL's functions follow). The bytes are never altered.
enum UTF8Characters {
  /// Calls `body` with each character of `bytes` in order: its byte range, and its code point
  /// (nil for a byte of a malformed sequence).
  static func forEach(in bytes: [UInt8], _ body: (Range<Int>, Unicode.Scalar?) -> Void) {
    var iterator = bytes.makeIterator()
    var parser = Unicode.UTF8.ForwardParser()
    var offset = 0
    while true {
      switch parser.parseScalar(from: &iterator) {
      case .valid(let encoded):
        body(offset..<offset + encoded.count, Unicode.UTF8.decode(encoded))
        offset += encoded.count
      case .error(let length):
        for byte in offset..<offset + length { body(byte..<byte + 1, nil) }
        offset += length
      case .emptyInput:
        return
      }
    }
  }

  /// Where each character of `bytes` starts, then `bytes.count`: character `i` is
  /// `bytes[result[i]..<result[i + 1]]`.
  static func boundaries(_ bytes: [UInt8]) -> [Int] {
    if bytes.allSatisfy({ $0 < 0x80 }) { return Array(0...bytes.count) }
    var boundaries = [0]
    forEach(in: bytes) { range, _ in boundaries.append(range.upperBound) }
    return boundaries
  }
}
