/// Builds a packet's payload in the protocol's encodings: little-endian fixed-width integers,
/// length-encoded integers and strings, NUL-terminated strings.
public struct PayloadWriter: Sendable {
  public private(set) var bytes: [UInt8] = []

  public init() {}

  public mutating func int1(_ value: UInt8) { bytes.append(value) }

  public mutating func int2(_ value: UInt16) { littleEndian(UInt64(value), width: 2) }

  public mutating func int3(_ value: UInt32) { littleEndian(UInt64(value), width: 3) }

  public mutating func int4(_ value: UInt32) { littleEndian(UInt64(value), width: 4) }

  public mutating func int8(_ value: UInt64) { littleEndian(value, width: 8) }

  /// A length-encoded integer: one byte below 251, else 0xFC, 0xFD or 0xFE and 2, 3 or 8 bytes.
  public mutating func lengthEncoded(_ value: UInt64) {
    switch value {
    case ..<251: bytes.append(UInt8(value))
    case ..<(1 << 16):
      bytes.append(0xFC)
      littleEndian(value, width: 2)
    case ..<(1 << 24):
      bytes.append(0xFD)
      littleEndian(value, width: 3)
    default:
      bytes.append(0xFE)
      littleEndian(value, width: 8)
    }
  }

  /// A length-encoded string: its length, then its bytes.
  public mutating func lengthEncoded(_ string: some Collection<UInt8>) {
    lengthEncoded(UInt64(string.count))
    bytes.append(contentsOf: string)
  }

  /// A length-encoded string of `text`'s UTF-8.
  public mutating func lengthEncoded(_ text: String) { lengthEncoded(Array(text.utf8)) }

  /// `text`'s UTF-8, then a NUL byte.
  public mutating func nulTerminated(_ text: String) {
    bytes.append(contentsOf: text.utf8)
    bytes.append(0)
  }

  /// Bytes as they are.
  public mutating func raw(_ data: some Collection<UInt8>) { bytes.append(contentsOf: data) }

  private mutating func littleEndian(_ value: UInt64, width: Int) {
    for index in 0..<width { bytes.append(UInt8(truncatingIfNeeded: value >> (8 * index))) }
  }
}
