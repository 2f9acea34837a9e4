import Coprocessor
import Foundation
import SQLText

/// Fitting a value into a column on INSERT and UPDATE, with MySQL's rules: in strict mode
/// (`STRICT_TRANS_TABLES`, the default) a value that does not fit is an error; otherwise it is
/// clipped or zeroed and a warning is recorded.
struct ColumnConversion {
  /// `sql_mode` holds STRICT_TRANS_TABLES or STRICT_ALL_TABLES.
  var strict: Bool
  /// Warnings of the statement so far.
  var warnings: [SQLWarning] = []

  /// `value` as column `column` stores it, for row number `row` (1-based, for messages).
  /// - Throws: 1048 NULL into NOT NULL, 1264 out of range, 1406 too long, 1366 not a number —
  ///   in strict mode.
  mutating func convert(_ value: Datum, to column: ColumnInfo, row: Int) throws -> Datum {
    let type = column.type
    if value == .null {
      guard type.notNull else { return .null }
      if strict { throw SQLError.columnCannotBeNull(column.name) }
      warn(.columnCannotBeNull(column.name))
      return zero(of: type)
    }
    switch type.kind {
    case .int: return try integer(value, column: column, row: row)
    case .real: return try real(value, column: column, row: row)
    case .string: return try string(value, column: column, row: row)
    }
  }

  private mutating func warn(_ error: SQLError) {
    warnings.append(SQLWarning(level: "Warning", code: error.code, message: error.message))
  }

  private func zero(of type: FieldType) -> Datum {
    switch type.kind {
    case .int: type.unsigned ? .uint(0) : .int(0)
    case .real: .float(0)
    case .string: .bytes([])
    }
  }

  /// A value out of range (or not a number): an error in strict mode, else the nearest bound
  /// and a warning.
  private mutating func clip(
    _ error: SQLError, to bound: Datum
  ) throws -> Datum {
    if strict { throw error }
    warn(error)
    return bound
  }

  private mutating func integer(_ value: Datum, column: ColumnInfo, row: Int) throws -> Datum {
    let type = column.type
    let outOfRange = SQLError.outOfRange(column.name, row: row)
    // The value as an exact integer, or a real to round.
    var exact: (negative: Bool, magnitude: UInt64)?
    switch value {
    case .int(let v): exact = (v < 0, v.magnitude)
    case .uint(let v): exact = (false, v)
    case .float(let v):
      return try integer(fromReal: v, column: column, row: row)
    case .bytes(let bytes):
      let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
      if let v = Int64(text) {
        exact = (v < 0, v.magnitude)
      } else if let v = UInt64(text) {
        exact = (false, v)
      } else if let v = Double(text), !text.isEmpty, v.isFinite {
        return try integer(fromReal: v, column: column, row: row)
      } else {
        let error = SQLError.incorrectValue(
          "integer", DatumText.text(value), column: column.name, row: row)
        if strict { throw error }
        warn(error)
        return try integer(.float(NumericPrefix.real(of: bytes)), column: column, row: row)
      }
    case .null, .minNotNull, .maxValue:
      return .null
    }
    guard let (negative, magnitude) = exact else { return .null }
    if let max = type.unsignedMax {
      if negative && magnitude > 0 { return try clip(outOfRange, to: .uint(0)) }
      return magnitude > max ? try clip(outOfRange, to: .uint(max)) : .uint(magnitude)
    }
    let range = type.signedRange!
    if negative {
      if magnitude > range.lowerBound.magnitude {
        return try clip(outOfRange, to: .int(range.lowerBound))
      }
      return .int(magnitude == Int64.min.magnitude ? Int64.min : -Int64(magnitude))
    }
    if magnitude > UInt64(range.upperBound) {
      return try clip(outOfRange, to: .int(range.upperBound))
    }
    return .int(Int64(magnitude))
  }

  private mutating func integer(fromReal v: Double, column: ColumnInfo, row: Int) throws -> Datum {
    let rounded = v.rounded(.toNearestOrAwayFromZero)
    let outOfRange = SQLError.outOfRange(column.name, row: row)
    if let max = column.type.unsignedMax {
      if rounded < 0 { return try clip(outOfRange, to: .uint(0)) }
      if rounded >= 18_446_744_073_709_551_616.0 || UInt64(rounded) > max {
        return try clip(outOfRange, to: .uint(max))
      }
      return .uint(UInt64(rounded))
    }
    let range = column.type.signedRange!
    if rounded < -9_223_372_036_854_775_808.0
      || Int64(exactly: rounded).map({ $0 < range.lowerBound }) == true
    {
      return try clip(outOfRange, to: .int(range.lowerBound))
    }
    if rounded >= 9_223_372_036_854_775_808.0 || Int64(rounded) > range.upperBound {
      return try clip(outOfRange, to: .int(range.upperBound))
    }
    return .int(Int64(rounded))
  }

  private mutating func real(_ value: Datum, column: ColumnInfo, row: Int) throws -> Datum {
    let number: Double
    switch value {
    case .int(let v): number = Double(v)
    case .uint(let v): number = Double(v)
    case .float(let v): number = v
    case .bytes(let bytes):
      let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespaces)
      if let v = Double(text), !text.isEmpty, v.isFinite {
        number = v
      } else {
        let error = SQLError.incorrectValue(
          "double", DatumText.text(value), column: column.name, row: row)
        if strict { throw error }
        warn(error)
        number = NumericPrefix.real(of: bytes)
      }
    case .null, .minNotNull, .maxValue: return .null
    }
    if column.type.unsigned, number < 0 {
      return try clip(.outOfRange(column.name, row: row), to: .float(0))
    }
    if column.type.type == .float {
      guard abs(number) <= Double(Float.greatestFiniteMagnitude) else {
        return try clip(
          .outOfRange(column.name, row: row),
          to: .float(
            number < 0
              ? -Double(Float.greatestFiniteMagnitude) : Double(Float.greatestFiniteMagnitude)))
      }
      return .float(Double(Float(number)))
    }
    return .float(number)
  }

  private mutating func string(_ value: Datum, column: ColumnInfo, row: Int) throws -> Datum {
    let type = column.type
    var bytes: [UInt8]
    switch value {
    case .bytes(let b): bytes = b
    default: bytes = Array(DatumText.text(value).utf8)
    }
    if let limit = type.maxStringLength {
      var length = type.binary ? bytes.count : String(decoding: bytes, as: UTF8.self).count
      // Trailing spaces past the length are dropped, not an error (MySQL's PAD SPACE).
      while length > limit && !type.binary && bytes.last == UInt8(ascii: " ") {
        bytes.removeLast()
        length -= 1
      }
      if length > limit {
        let error = SQLError.dataTooLong(column.name, row: row)
        if strict { throw error }
        warn(error)
        bytes =
          type.binary
          ? Array(bytes.prefix(limit))
          : Array(String(String(decoding: bytes, as: UTF8.self).prefix(limit)).utf8)
      }
    }
    switch type.type {
    case .string where type.binary:
      // BINARY(n) pads with zero bytes.
      if bytes.count < max(type.length, 1) {
        bytes += [UInt8](repeating: 0, count: max(type.length, 1) - bytes.count)
      }
    case .string:
      // CHAR(n) drops trailing spaces (MySQL pads on disk and strips on read).
      while bytes.last == UInt8(ascii: " ") { bytes.removeLast() }
    default:
      break
    }
    return .bytes(bytes)
  }
}

/// A warning of a statement, as `SHOW WARNINGS` lists it.
public struct SQLWarning: Sendable, Equatable {
  public var level: String
  public var code: UInt16
  public var message: String
}
