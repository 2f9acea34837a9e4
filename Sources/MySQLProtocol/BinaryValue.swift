/// A value in the binary protocol of prepared statements: a parameter of `COM_STMT_EXECUTE` or
/// a column of a binary result row.
public enum BinaryValue: Sendable, Equatable {
  case null
  case int(Int64)
  case uint(UInt64)
  case double(Double)
  /// Strings, blobs and decimals, as their bytes.
  case bytes([UInt8])

  /// Reads a value of column type `type` (unsigned when `unsigned`).
  /// - Throws: `MySQLProtocolError` for a value cut short, or a date or time type (which this
  ///   server does not serve yet).
  static func read(
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
    case .timestamp, .date, .time, .datetime:
      throw MySQLProtocolError("date and time values are not supported yet (type \(type.rawValue))")
    }
  }

  /// Writes the value in the binary form of its own kind (NULL is the row's bitmap's business
  /// and writes nothing): integers as 8 bytes, doubles as 8, bytes length-encoded.
  func write(to writer: inout PayloadWriter) {
    switch self {
    case .null: break
    case .int(let value): writer.int8(UInt64(bitPattern: value))
    case .uint(let value): writer.int8(value)
    case .double(let value): writer.int8(value.bitPattern)
    case .bytes(let value): writer.lengthEncoded(value)
    }
  }
}
