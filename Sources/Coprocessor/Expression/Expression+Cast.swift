import SQLText

/// MySQL's conversions between integers, reals and strings: `CAST`, and the implicit
/// conversions of functions that take one type and are given another (`LEFT(s, '3')`,
/// `CONCAT(1, 'a')`). NULL stays NULL. MySQL also warns when it truncates; the coprocessor
/// carries no warnings and just converts.
extension Datum {
  /// This value cast to `kind`; an integer `unsigned` for `CAST(x AS UNSIGNED)`.
  /// - Throws: `CoprocessorError` for a range bound, which is no value.
  func cast(to kind: ScalarFunction.Kind, unsigned: Bool) throws(CoprocessorError) -> Datum {
    switch kind {
    case .int: try castInt(unsigned: unsigned)
    case .real: try castReal().map(Datum.float) ?? .null
    case .string: try castText().map(Datum.bytes) ?? .null
    }
  }

  /// `CAST(x AS SIGNED)` (`.int`) or `CAST(x AS UNSIGNED)` (`.uint`):
  /// - an integer keeps its 64 bits, read as the target's signedness (-1 as unsigned is
  ///   18446744073709551615, and back);
  /// - a real rounds half away from zero and saturates at the target's bounds; as unsigned, a
  ///   negative real is the signed result's bits (TiDB's rule);
  /// - a string takes its integer prefix after leading whitespace (`'  -12.7xyz'` is -12,
  ///   `'1.5e2'` is 1, `'abc'` is 0), as MySQL and TinySQL's SELECT do; past the 64-bit range a
  ///   negative one is -2^63 and a positive one 2^64 - 1, as signed -1 (MySQL's answer).
  func castInt(unsigned: Bool) throws(CoprocessorError) -> Datum {
    switch self {
    case .null: return .null
    case .int(let value): return unsigned ? .uint(UInt64(bitPattern: value)) : .int(value)
    case .uint(let value): return unsigned ? .uint(value) : .int(Int64(bitPattern: value))
    case .float(let value): return Self.integer(rounding: value, unsigned: unsigned)
    case .bytes(let bytes): return Self.integer(prefixOf: bytes, unsigned: unsigned)
    case .minNotNull, .maxValue: throw CoprocessorError("cast of \(self)")
    }
  }

  /// `CAST(x AS DOUBLE)`: an integer by value, a string by its numeric prefix after leading
  /// whitespace (`' 1.5e2x'` is 150, `'abc'` 0; past DOUBLE's range, its largest value); nil for
  /// NULL.
  func castReal() throws(CoprocessorError) -> Double? {
    switch self {
    case .null: return nil
    case .bytes(let bytes): return Self.real(prefixOf: bytes)
    case .minNotNull, .maxValue: throw CoprocessorError("cast of \(self)")
    case .int, .uint, .float: return real
    }
  }

  /// `CAST(x AS CHAR)`: an integer in decimal, a real as MySQL prints a DOUBLE
  /// (`text(of:)`), a string as it is; nil for NULL.
  func castText() throws(CoprocessorError) -> [UInt8]? {
    switch self {
    case .null: nil
    case .int(let value): Array(String(value).utf8)
    case .uint(let value): Array(String(value).utf8)
    case .float(let value): Self.text(of: value)
    case .bytes(let bytes): bytes
    case .minNotNull, .maxValue: throw CoprocessorError("cast of \(self)")
    }
  }

  /// An integer argument (a position, a length, a count) exactly: an unsigned one by value,
  /// anything else as `CAST(x AS SIGNED)`; nil for NULL.
  func castInteger() throws(CoprocessorError) -> Int128? {
    if case .uint(let value) = self { return Int128(value) }
    return try castInt(unsigned: false).integer
  }

  /// A real rounded half away from zero to an integer of the target's signedness, saturating
  /// (NaN is 0).
  private static func integer(rounding value: Double, unsigned: Bool) -> Datum {
    let rounded = value.isNaN ? 0 : value.rounded(.toNearestOrAwayFromZero)
    if unsigned, rounded >= 0 {
      return .uint(rounded >= 0x1p64 ? .max : UInt64(rounded))
    }
    let signed: Int64 = rounded >= 0x1p63 ? .max : rounded < -0x1p63 ? .min : Int64(rounded)
    return unsigned ? .uint(UInt64(bitPattern: signed)) : .int(signed)
  }

  /// The integer a string starts with after leading whitespace: an optional sign, then digits.
  private static func integer(prefixOf bytes: [UInt8], unsigned: Bool) -> Datum {
    var index = bytes.firstIndex { !NumericPrefix.isSpace($0) } ?? bytes.endIndex
    var negative = false
    if index < bytes.endIndex,
      bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+")
    {
      negative = bytes[index] == UInt8(ascii: "-")
      index += 1
    }
    var magnitude: UInt64 = 0
    var overflow = false
    while index < bytes.endIndex, NumericPrefix.isDigit(bytes[index]) {
      let (times10, carried) = magnitude.multipliedReportingOverflow(by: 10)
      let (sum, added) = times10.addingReportingOverflow(UInt64(bytes[index] - UInt8(ascii: "0")))
      overflow = overflow || carried || added
      magnitude = sum
      index += 1
    }
    if negative {
      let signed = overflow || magnitude > 1 << 63 ? Int64.min : Int64(bitPattern: 0 &- magnitude)
      return unsigned ? .uint(UInt64(bitPattern: signed)) : .int(signed)
    }
    let value = overflow ? UInt64.max : magnitude
    return unsigned ? .uint(value) : .int(Int64(bitPattern: value))
  }

  /// The number a string starts with (`NumericPrefix.real(of:)`).
  static func real(prefixOf bytes: [UInt8]) -> Double { NumericPrefix.real(of: bytes) }

  /// A DOUBLE as MySQL prints it (`NumberText.double`).
  static func text(of value: Double) -> [UInt8] { Array(NumberText.double(value).utf8) }
}
