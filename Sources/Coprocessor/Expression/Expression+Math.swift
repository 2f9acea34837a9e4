import Foundation

extension Expression {
  /// ABS, CEIL, FLOOR and ROUND as MySQL computes them: NULL in, NULL out; an integer stays an
  /// integer of its signedness, a real a real, a string is read as a real (`Datum.castReal()`).
  /// Rounding is half away from zero (`ROUND(-2.5)` is -3), TiDB's rule for reals too.
  /// - Throws: `CoprocessorError` 1690 for a result past BIGINT (`ABS(-2^63)`,
  ///   `ROUND(2^63 - 1, -1)`).
  static func math(
    _ function: ScalarFunction.MathFunction, _ values: [Datum]
  ) throws(CoprocessorError) -> Datum {
    let value: Datum
    switch values[0] {
    case .bytes(let bytes): value = .float(Datum.real(prefixOf: bytes))
    case .minNotNull, .maxValue: throw CoprocessorError("\(function) of \(values[0])")
    default: value = values[0]
    }
    switch (function, value) {
    case (_, .null): return .null
    case (.sign, _):
      guard let real = value.real else { return .null }
      return .int(real > 0 ? 1 : real < 0 ? -1 : 0)
    case (.pow, _):
      guard let base = value.real, let exponent = try values[1].castReal() else { return .null }
      let result = Foundation.pow(base, exponent)
      guard result.isFinite else { throw outOfRange("pow(\(base), \(exponent))") }
      return .float(result)
    case (.abs, .int(let integer)):
      guard integer != .min else { throw outOfRange("abs(\(integer))") }
      return .int(Swift.abs(integer))
    case (.abs, .float(let real)): return .float(real.magnitude)
    case (.ceil, .float(let real)): return .float(real.rounded(.up))
    case (.floor, .float(let real)): return .float(real.rounded(.down))
    case (.round, _):
      guard let digits = values.count > 1 ? try values[1].castInteger() : 0 else { return .null }
      return try round(value, digits: digits)
    default:
      // ABS of an unsigned integer, CEIL and FLOOR of an integer: itself.
      return value
    }
  }

  /// `ROUND(value, digits)`: half away from zero at `digits` decimals (negative: to tens,
  /// hundreds, ...). A real is scaled by 10^digits, rounded and scaled back (MySQL's way,
  /// dividing by 10^-digits for negative ones; a scale that overflows leaves it as it is); an
  /// integer is rounded exactly.
  private static func round(_ value: Datum, digits: Int128) throws(CoprocessorError) -> Datum {
    switch value {
    case .float(let real):
      if digits > 308 { return value }
      if digits < -308 { return .float(0) }
      let scale = pow(10, Double(digits.magnitude))
      let scaled = digits >= 0 ? real * scale : real / scale
      guard scaled.isFinite else { return value }
      let rounded = scaled.rounded(.toNearestOrAwayFromZero)
      return .float(digits >= 0 ? rounded / scale : rounded * scale)
    default:
      guard digits < 0, let integer = value.integer else { return value }
      // 10^20 is past every 64-bit integer: anything rounds to 0 there.
      var rounded: Int128 = 0
      if digits >= -20 {
        var unit: Int128 = 1
        for _ in 0..<Int(-digits) { unit *= 10 }
        let (quotient, remainder) = integer.quotientAndRemainder(dividingBy: unit)
        let away = remainder.magnitude * 2 >= unit.magnitude ? (integer < 0 ? -1 : 1) : 0
        rounded = (quotient + Int128(away)) * unit
      }
      if value.isUnsigned, let unsigned = UInt64(exactly: rounded) { return .uint(unsigned) }
      if !value.isUnsigned, let signed = Int64(exactly: rounded) { return .int(signed) }
      throw outOfRange("round(\(integer),\(digits))", unsigned: value.isUnsigned)
    }
  }

  private static func outOfRange(_ call: String, unsigned: Bool = false) -> CoprocessorError {
    CoprocessorError(
      "\(unsigned ? "BIGINT UNSIGNED" : "BIGINT") value is out of range in '\(call)'",
      code: CoprocessorError.outOfRangeCode)
  }
}
