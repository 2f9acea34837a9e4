import Coprocessor
import SQLText

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

  /// A double as MySQL prints it (`NumberText.double`).
  static func real(_ value: Double) -> String { NumberText.double(value) }
}
