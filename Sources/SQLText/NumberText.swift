/// Floating-point numbers as MySQL 8 prints them in text results (`my_gcvt` in its
/// `strings/dtoa.cc`, with the field width an expression without fixed decimals gets):
///
/// - the digits are the fewest that read back as the same number (a DOUBLE), or the number
///   rounded to 6 significant digits (a FLOAT), trailing zeros dropped;
/// - with `d` the number's decimal exponent (`1.5e-7` has `d = -7`), the plain form is used
///   when `-15 <= d <= 14`, or when a larger number has digits after its point: `1`, `0.1`,
///   `100000000000000`, `0.00000015`, `-2.5`;
/// - otherwise the exponent form: the first digit, the others after a point if any, `e`, a minus
///   sign for a negative exponent (never a plus), the exponent without leading zeros: `1e15`,
///   `1e20`, `1.2345678901234568e20`, `1e-16`, `2.5e-300`;
/// - zero is `0` (`-0` for negative zero); infinities and NaN, which MySQL never stores, print
///   as `0` as `my_gcvt` does.
///
/// A stored DOUBLE column's narrower field makes MySQL switch to the exponent form sooner for
/// numbers of many digits (`1.2345678901234568e-6` instead of `0.0000012345678901234568`);
/// this server prints every double the same way.
public enum NumberText {
  /// The largest decimal point position kept in plain form (MySQL's `MAX_DECPT_FOR_F_FORMAT`,
  /// `DBL_DIG`).
  private static let maxPlainPoint = 15

  /// `value` as MySQL prints a DOUBLE.
  public static func double(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    guard let (digits, point) = shortestDigits(of: value.magnitude) else {
      return value.sign == .minus ? "-0" : "0"
    }
    return format(negative: value < 0, digits: digits, point: point)
  }

  /// `value` as MySQL prints a FLOAT: at most 6 significant digits.
  public static func float(_ value: Double) -> String {
    guard value.isFinite else { return "0" }
    let single = Double(Float(value))
    guard let (digits, point) = shortestDigits(of: single.magnitude) else {
      return single.sign == .minus ? "-0" : "0"
    }
    let (rounded, roundedPoint) = round(digits, point: point, to: 6)
    return format(negative: single < 0, digits: rounded, point: roundedPoint)
  }

  /// The shortest decimal digits of a positive `value` that read back as it, without leading or
  /// trailing zeros, and the position of the decimal point: `value = 0.DIGITS × 10^point`.
  /// Nil for zero.
  private static func shortestDigits(of value: Double) -> (digits: [UInt8], point: Int)? {
    guard value != 0 else { return nil }
    // Swift's description is the shortest round-trip form: "1e+20", "1.5e-07", "0.001",
    // "123.0"; only its digits and exponent are used.
    let text = Array(value.description.utf8)
    let mark = text.firstIndex(of: UInt8(ascii: "e"))
    var exponent = 0
    if let mark { exponent = Int(String(decoding: text[(mark + 1)...], as: UTF8.self)) ?? 0 }
    let mantissa = text[..<(mark ?? text.endIndex)]
    let dot = mantissa.firstIndex(of: UInt8(ascii: ".")) ?? mantissa.endIndex
    var digits = mantissa.filter { $0 != UInt8(ascii: ".") }
    var point = dot - mantissa.startIndex + exponent
    while digits.first == UInt8(ascii: "0") {
      digits.removeFirst()
      point -= 1
    }
    while digits.last == UInt8(ascii: "0") { digits.removeLast() }
    return (digits, point)
  }

  /// `digits` rounded half up to `count` significant digits, trailing zeros dropped.
  private static func round(
    _ digits: [UInt8], point: Int, to count: Int
  ) -> (digits: [UInt8], point: Int) {
    guard digits.count > count else { return (digits, point) }
    var kept = Array(digits.prefix(count))
    var point = point
    if digits[count] >= UInt8(ascii: "5") {
      var index = count - 1
      while index >= 0, kept[index] == UInt8(ascii: "9") {
        kept[index] = UInt8(ascii: "0")
        index -= 1
      }
      if index >= 0 {
        kept[index] += 1
      } else {
        kept.insert(UInt8(ascii: "1"), at: 0)
        point += 1
      }
    }
    while kept.last == UInt8(ascii: "0") { kept.removeLast() }
    return (kept, point)
  }

  /// The plain or the exponent form of `0.DIGITS × 10^point`, by MySQL's rule.
  private static func format(negative: Bool, digits: [UInt8], point: Int) -> String {
    var out: [UInt8] = negative ? [UInt8(ascii: "-")] : []
    let zero = UInt8(ascii: "0")
    if point >= -maxPlainPoint + 1, point <= maxPlainPoint || digits.count > point {
      if point <= 0 {
        out += [zero, UInt8(ascii: ".")] + [UInt8](repeating: zero, count: -point) + digits
      } else if point < digits.count {
        out += digits[..<point] + [UInt8(ascii: ".")] + digits[point...]
      } else {
        out += digits + [UInt8](repeating: zero, count: point - digits.count)
      }
    } else {
      out.append(digits[0])
      if digits.count > 1 { out += [UInt8(ascii: ".")] + digits.dropFirst() }
      out.append(UInt8(ascii: "e"))
      out += Array(String(point - 1).utf8)
    }
    return String(decoding: out, as: UTF8.self)
  }
}
