/// Reads a packet's payload in the protocol's encodings; every read checks the bytes are there.
public struct PayloadReader: Sendable {
  public let bytes: [UInt8]
  public private(set) var offset = 0

  public init(_ bytes: [UInt8]) { self.bytes = bytes }

  /// Bytes not read yet.
  public var remaining: Int { bytes.count - offset }

  public mutating func int1() throws(MySQLProtocolError) -> UInt8 {
    UInt8(try littleEndian(width: 1))
  }

  public mutating func int2() throws(MySQLProtocolError) -> UInt16 {
    UInt16(try littleEndian(width: 2))
  }

  public mutating func int3() throws(MySQLProtocolError) -> UInt32 {
    UInt32(try littleEndian(width: 3))
  }

  public mutating func int4() throws(MySQLProtocolError) -> UInt32 {
    UInt32(try littleEndian(width: 4))
  }

  public mutating func int8() throws(MySQLProtocolError) -> UInt64 {
    try littleEndian(width: 8)
  }

  /// A length-encoded integer; nil for 0xFB, which a text row uses for NULL.
  public mutating func lengthEncoded() throws(MySQLProtocolError) -> UInt64? {
    let first = try int1()
    switch first {
    case 0xFB: return nil
    case 0xFC: return try littleEndian(width: 2)
    case 0xFD: return try littleEndian(width: 3)
    case 0xFE: return try littleEndian(width: 8)
    case 0xFF: throw MySQLProtocolError("0xFF does not start a length-encoded integer")
    default: return UInt64(first)
    }
  }

  /// A length-encoded string; nil for NULL (0xFB).
  public mutating func lengthEncodedBytes() throws(MySQLProtocolError) -> [UInt8]? {
    guard let length = try lengthEncoded() else { return nil }
    guard length <= UInt64(remaining) else {
      throw MySQLProtocolError("a string of \(length) bytes where \(remaining) remain")
    }
    return try take(Int(length))
  }

  /// Bytes up to the next NUL, which is consumed.
  public mutating func nulTerminated() throws(MySQLProtocolError) -> [UInt8] {
    guard let end = bytes[offset...].firstIndex(of: 0) else {
      throw MySQLProtocolError("a string without its terminating NUL")
    }
    defer { offset = end + 1 }
    return Array(bytes[offset..<end])
  }

  /// The next `count` bytes.
  public mutating func take(_ count: Int) throws(MySQLProtocolError) -> [UInt8] {
    guard count >= 0, count <= remaining else {
      throw MySQLProtocolError("\(count) bytes wanted where \(remaining) remain")
    }
    defer { offset += count }
    return Array(bytes[offset..<offset + count])
  }

  /// Every byte left.
  public mutating func rest() -> [UInt8] {
    defer { offset = bytes.count }
    return Array(bytes[offset...])
  }

  private mutating func littleEndian(width: Int) throws(MySQLProtocolError) -> UInt64 {
    let field = try take(width)
    return field.reversed().reduce(0) { $0 << 8 | UInt64($1) }
  }
}
