/// TiDB's number encodings (TinySQL's `util/codec`, number.go and float.go), appended to a
/// buffer. The 8-byte forms are *comparable*: their bytes sort as the numbers do, so keys built
/// from them sort in the numbers' order. The varints are Go's `encoding/binary` forms.
public enum NumberCodec {
  static let signMask: UInt64 = 1 << 63

  /// `value` in 8 big-endian bytes with its sign bit flipped: negative numbers sort first.
  public static func appendInt(_ value: Int64, to out: inout [UInt8]) {
    appendUint(UInt64(bitPattern: value) ^ signMask, to: &out)
  }

  /// `value` in 8 big-endian bytes.
  public static func appendUint(_ value: UInt64, to out: inout [UInt8]) {
    withUnsafeBytes(of: value.bigEndian) { out.append(contentsOf: $0) }
  }

  /// `value` in 8 bytes that sort as the numbers do: a non-negative number's bits with the sign
  /// bit set, a negative number's bits inverted.
  public static func appendFloat(_ value: Double, to out: inout [UInt8]) {
    appendUint(comparableBits(of: value), to: &out)
  }

  /// Go's `binary.PutVarint`: zigzag, then 7 bits a byte, least significant first.
  public static func appendVarint(_ value: Int64, to out: inout [UInt8]) {
    let zigzag = UInt64(bitPattern: value) << 1
    appendUvarint(value < 0 ? ~zigzag : zigzag, to: &out)
  }

  /// Go's `binary.PutUvarint`: 7 bits a byte, least significant first, the high bit set on
  /// every byte but the last.
  public static func appendUvarint(_ value: UInt64, to out: inout [UInt8]) {
    var rest = value
    while rest >= 0x80 {
      out.append(UInt8(truncatingIfNeeded: rest) | 0x80)
      rest >>= 7
    }
    out.append(UInt8(rest))
  }

  static func comparableBits(of value: Double) -> UInt64 {
    let bits = value.bitPattern
    return value >= 0 ? bits | signMask : ~bits
  }

  static func float(fromComparableBits bits: UInt64) -> Double {
    Double(bitPattern: bits & signMask != 0 ? bits & ~signMask : ~bits)
  }
}
