import Coprocessor
import Foundation

/// Values as text: for messages (`Duplicate entry '...'`), string conversions and result sets.
enum DatumText {
  /// `datum` as MySQL writes it in text: integers in decimal, reals as MySQL prints a double,
  /// strings as their UTF-8 text, NULL as `NULL`.
  static func text(_ datum: Datum) -> String {
    switch datum {
    case .null, .minNotNull, .maxValue: "NULL"
    case .int(let value): String(value)
    case .uint(let value): String(value)
    case .float(let value): real(value)
    case .bytes(let value): String(decoding: value, as: UTF8.self)
    }
  }

  /// `datum`'s text as bytes (a string's own bytes).
  static func bytes(_ datum: Datum) -> [UInt8] {
    if case .bytes(let value) = datum { return value }
    return Array(text(datum).utf8)
  }

  /// A double as MySQL prints it: the shortest digits that read back as the same double, with
  /// no trailing `.0`, in exponent form (`1e20`, `1.5e-7`) below 1e-4 and from 1e15 on.
  static func real(_ value: Double) -> String {
    if value.isNaN || value.isInfinite { return value.isNaN ? "NaN" : (value < 0 ? "-inf" : "inf") }
    if value == 0 { return value.sign == .minus ? "-0" : "0" }
    let magnitude = abs(value)
    if magnitude >= 1e15 || magnitude < 1e-4 {
      // Swift writes "1e+20" / "1.5e-07"; MySQL "1e20" / "1.5e-7".
      var text = "\(value)"
      if !text.contains("e") { text = String(format: "%.17g", value) }
      let parts = text.split(separator: "e", maxSplits: 1)
      var mantissa = String(parts[0])
      if mantissa.hasSuffix(".0") { mantissa.removeLast(2) }
      let exponent = Int(parts[1].replacingOccurrences(of: "+", with: "")) ?? 0
      return "\(mantissa)e\(exponent)"
    }
    var text = "\(value)"
    if text.contains("e") { text = String(format: "%.17f", value) }
    if text.hasSuffix(".0") { text.removeLast(2) }
    return text
  }
}
