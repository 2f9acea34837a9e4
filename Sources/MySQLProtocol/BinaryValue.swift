/// A value in the binary protocol of prepared statements: a parameter of `COM_STMT_EXECUTE` or
/// a column of a binary result row.
public enum BinaryValue: Sendable, Equatable {
  case null
  case int(Int64)
  case uint(UInt64)
  case double(Double)
  /// Strings, blobs and decimals, as their bytes.
  case bytes([UInt8])

  /// Reads a value of column type `type` (unsigned when `unsigned`); dates and times as their
  /// text (`2024-05-06 07:08:09.500000`, `-12:00:01`).
  /// - Throws: `MySQLProtocolError` for a value cut short.
  public static func read(
    _ type: ColumnType, unsigned: Bool, from reader: inout PayloadReader
  ) throws(MySQLProtocolError) -> BinaryValue {
    func integer(_ bits: UInt64, width: Int) -> BinaryValue {
      if unsigned { return .uint(bits) }
      let unused = UInt64(64 - 8 * width)
      return .int(Int64(bitPattern: bits << unused) >> Int64(unused))
    }
    switch type {
    case .null: return .null
    case .tiny: return integer(UInt64(try reader.int1()), width: 1)
    case .short, .year: return integer(UInt64(try reader.int2()), width: 2)
    case .long, .int24: return integer(UInt64(try reader.int4()), width: 4)
    case .longlong: return integer(try reader.int8(), width: 8)
    case .float: return .double(Double(Float(bitPattern: try reader.int4())))
    case .double: return .double(Double(bitPattern: try reader.int8()))
    case .varchar, .varString, .string, .blob, .newDecimal, .bit:
      return .bytes(try reader.lengthEncodedBytes() ?? [])
    case .date, .datetime, .timestamp:
      return .bytes(Array(try TemporalValue.readDateTime(&reader, dateOnly: type == .date).utf8))
    case .time:
      return .bytes(Array(try TemporalValue.readTime(&reader).utf8))
    }
  }

  /// Writes the value as a binary row's column of `type` holds it (NULL is the row's bitmap's
  /// business and writes nothing): TINY 1 byte, SHORT and YEAR 2, LONG and INT24 4, LONGLONG 8,
  /// FLOAT 4, DOUBLE 8, DATE, DATETIME, TIMESTAMP and TIME in their binary forms (read from the
  /// value's text, `2024-05-06 07:08:09.5`, `-838:59:59`), every other type length-encoded.
  /// A value of another kind than its column's is converted as MySQL converts it: a number to
  /// text in a string column, text to a number in a numeric one (0 when it is not a number).
  public func write(as type: ColumnType, to writer: inout PayloadWriter) {
    switch type {
    case .null: break
    case .tiny: writer.int1(UInt8(truncatingIfNeeded: integerBits))
    case .short, .year: writer.int2(UInt16(truncatingIfNeeded: integerBits))
    case .long, .int24: writer.int4(UInt32(truncatingIfNeeded: integerBits))
    case .longlong: writer.int8(integerBits)
    case .float: writer.int4(Float(doubleValue).bitPattern)
    case .double: writer.int8(doubleValue.bitPattern)
    case .date, .datetime, .timestamp:
      writer.raw(TemporalValue.binaryDateTime(text(as: type) ?? [], dateOnly: type == .date))
    case .time: writer.raw(TemporalValue.binaryTime(text(as: type) ?? []))
    case .varchar, .varString, .string, .blob, .newDecimal, .bit:
      writer.lengthEncoded(text(as: type) ?? [])
    }
  }

  /// The value as a 64-bit integer's bits: doubles rounded (and clamped), text parsed.
  private var integerBits: UInt64 {
    switch self {
    case .null: 0
    case .int(let value): UInt64(bitPattern: value)
    case .uint(let value): value
    case .double(let value):
      value.isNaN
        ? 0 : UInt64(bitPattern: Int64(exactly: value.rounded()) ?? (value < 0 ? .min : .max))
    case .bytes(let value):
      Int64(String(decoding: value, as: UTF8.self)).map { UInt64(bitPattern: $0) }
        ?? UInt64(String(decoding: value, as: UTF8.self)) ?? 0
    }
  }

  /// The value as a double: text parsed (0 when it is not a number).
  private var doubleValue: Double {
    switch self {
    case .null: 0
    case .int(let value): Double(value)
    case .uint(let value): Double(value)
    case .double(let value): value
    case .bytes(let value): Double(String(decoding: value, as: UTF8.self)) ?? 0
    }
  }
}
