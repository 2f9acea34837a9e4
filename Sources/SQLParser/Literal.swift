/// A literal value, kept exactly as written so the planner can type it as MySQL does.
public enum Literal: Sendable, Hashable, CustomStringConvertible {
  /// `NULL`.
  case null
  /// `TRUE` or `FALSE`.
  case boolean(Bool)
  /// Digits that fit a signed 64-bit integer. The parser gives only non-negative values: a sign
  /// is a unary operator (`Expr.unary(.minus, ...)`).
  case integer(Int64)
  /// Digits above `Int64.max` that fit an unsigned 64-bit integer.
  case unsignedInteger(UInt64)
  /// An exact decimal as written: `1.5`, `.5`, `1.`, or digits too many for 64 bits (MySQL
  /// types all of these DECIMAL). ``doubleValue`` gives it as a `Double`.
  case decimal(String)
  /// A number with an exponent as written (`1e3`, `2.5E-3`): MySQL types it DOUBLE.
  /// ``doubleValue`` gives its value.
  case float(String)
  /// A string's bytes, escapes applied, adjacent strings joined, with its character set
  /// introducer lower-cased if it had one (`_utf8mb4'x'`; `N'x'` is `utf8`).
  case string([UInt8], charset: String?)
  /// `0x1F` or `X'1F'` as bytes (a binary string, or a number in numeric context).
  case hex([UInt8])
  /// `0b101` or `b'101'` as bytes, right-aligned.
  case bit([UInt8])
  /// `DATE '...'`, `TIME '...'` or `TIMESTAMP '...'`, the string as written.
  case temporal(TemporalKind, String)

  /// The kinds of typed temporal literal.
  public enum TemporalKind: String, Sendable, Hashable {
    case date = "DATE"
    case time = "TIME"
    case timestamp = "TIMESTAMP"
  }

  /// The value of a numeric literal as a `Double`; nil for the other kinds.
  public var doubleValue: Double? {
    switch self {
    case .integer(let value): Double(value)
    case .unsignedInteger(let value): Double(value)
    case .decimal(let text), .float(let text): Double(text.hasPrefix(".") ? "0" + text : text)
    default: nil
    }
  }

  /// The literal as SQL that reads back to the same literal.
  public var description: String {
    switch self {
    case .null: "NULL"
    case .boolean(let value): value ? "TRUE" : "FALSE"
    case .integer(let value): String(value)
    case .unsignedInteger(let value): String(value)
    case .decimal(let text), .float(let text): text
    case .string(let bytes, let charset): (charset.map { "_" + $0 } ?? "") + Quoting.string(bytes)
    case .hex(let bytes): Quoting.hex(bytes)
    case .bit(let bytes): Quoting.bits(bytes)
    case .temporal(let kind, let text): "\(kind.rawValue) \(Quoting.string(Array(text.utf8)))"
    }
  }
}
