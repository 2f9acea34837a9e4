import Foundation
import Transaction

/// Reads TiDB-encoded values (`NumberCodec`, `BytesCodec`) off the front of a byte string, each
/// read moving past what it decoded.
public struct ByteReader: Sendable {
  /// What is left to read.
  public private(set) var bytes: ArraySlice<UInt8>

  /// A reader at the start of `bytes`.
  public init(_ bytes: some Collection<UInt8>) { self.bytes = ArraySlice(bytes) }

  /// Whether everything was read.
  public var isEmpty: Bool { bytes.isEmpty }

  /// The next `count` bytes as they are.
  public mutating func take(_ count: Int) throws(CodecError) -> ArraySlice<UInt8> {
    guard count >= 0, bytes.count >= count else {
      throw CodecError("insufficient bytes: \(count) wanted, \(bytes.count) left")
    }
    defer { bytes = bytes.dropFirst(count) }
    return bytes.prefix(count)
  }

  /// An 8-byte big-endian unsigned integer (`NumberCodec.appendUint`).
  public mutating func uint() throws(CodecError) -> UInt64 {
    try take(8).reduce(0) { $0 << 8 | UInt64($1) }
  }

  /// A comparable 8-byte integer (`NumberCodec.appendInt`).
  public mutating func int() throws(CodecError) -> Int64 {
    Int64(bitPattern: try uint() ^ NumberCodec.signMask)
  }

  /// A comparable 8-byte float (`NumberCodec.appendFloat`).
  public mutating func float() throws(CodecError) -> Double {
    NumberCodec.float(fromComparableBits: try uint())
  }

  /// Go's `binary.Uvarint`; more than 64 bits is an error.
  public mutating func uvarint() throws(CodecError) -> UInt64 {
    var value: UInt64 = 0
    for (i, byte) in bytes.enumerated() {
      guard i < 10, i < 9 || byte <= 1 else { throw CodecError("varint larger than 64 bits") }
      value |= UInt64(byte & 0x7F) << (7 * UInt64(i))
      if byte < 0x80 {
        bytes = bytes.dropFirst(i + 1)
        return value
      }
    }
    throw CodecError("insufficient bytes to decode a varint")
  }

  /// Go's `binary.Varint` (zigzag).
  public mutating func varint() throws(CodecError) -> Int64 {
    let zigzag = try uvarint()
    let magnitude = Int64(bitPattern: zigzag >> 1)
    return zigzag & 1 == 0 ? magnitude : ~magnitude
  }

  /// A memcomparable byte string (`BytesCodec.appendComparable`).
  public mutating func comparableBytes() throws(CodecError) -> [UInt8] {
    do {
      let (data, consumed) = try Memcomparable.decodePrefix(Data(bytes))
      bytes = bytes.dropFirst(consumed)
      return Array(data)
    } catch {
      throw CodecError(error.description)
    }
  }

  /// A compact byte string (`BytesCodec.appendCompact`).
  public mutating func compactBytes() throws(CodecError) -> [UInt8] {
    let length = try varint()
    guard length >= 0, length <= Int64(bytes.count) else {
      throw CodecError("compact bytes of length \(length) with \(bytes.count) bytes left")
    }
    return Array(try take(Int(length)))
  }
}
