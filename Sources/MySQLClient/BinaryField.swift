import MySQLProtocol

/// Values in the binary protocol of prepared statements: a result row's columns read, an
/// execute's parameters written.
enum BinaryField {
  /// Reads one non-NULL value of `column`'s type: integers in their type's width (signed
  /// unless the column is unsigned), FLOAT and DOUBLE, dates and times as their text
  /// (`2024-05-06 07:08:09.500000`, `-12:00:01`), everything else length-encoded bytes.
  static func read(
    _ column: MySQLColumn, from reader: inout PayloadReader
  ) throws(MySQLProtocolError) -> BinaryValue {
    func integer(_ bits: UInt64, width: Int) -> BinaryValue {
      if column.isUnsigned { return .uint(bits) }
      let unused = UInt64(64 - 8 * width)
      return .int(Int64(bitPattern: bits << unused) >> Int64(unused))
    }
    switch column.type {
    case .null: return .null
    case .tiny: return integer(UInt64(try reader.int1()), width: 1)
    case .short, .year: return integer(UInt64(try reader.int2()), width: 2)
    case .long, .int24: return integer(UInt64(try reader.int4()), width: 4)
    case .longlong: return integer(try reader.int8(), width: 8)
    case .float: return .double(Double(Float(bitPattern: try reader.int4())))
    case .double: return .double(Double(bitPattern: try reader.int8()))
    case .date, .datetime, .timestamp:
      return .bytes(Array(try dateTime(&reader, dateOnly: column.type == .date).utf8))
    case .time: return .bytes(Array(try time(&reader).utf8))
    case .varchar, .varString, .string, .blob, .newDecimal, .bit:
      return .bytes(try reader.lengthEncodedBytes() ?? [])
    }
  }

  /// Writes a parameter's value in the form of the type ``type(of:)`` gives it: integers as
  /// LONGLONG, doubles as DOUBLE, bytes as VAR_STRING; NULL writes nothing (the execute's
  /// bitmap says it).
  static func write(_ value: BinaryValue, to writer: inout PayloadWriter) {
    switch value {
    case .null: break
    case .int(let value): writer.int8(UInt64(bitPattern: value))
    case .uint(let value): writer.int8(value)
    case .double(let value): writer.int8(value.bitPattern)
    case .bytes(let bytes): writer.lengthEncoded(bytes)
    }
  }

  /// The type (and the unsigned flag byte) a parameter's value is sent as.
  static func type(of value: BinaryValue) -> (type: ColumnType, flag: UInt8) {
    switch value {
    case .null: (.null, 0)
    case .int: (.longlong, 0)
    case .uint: (.longlong, 0x80)
    case .double: (.double, 0)
    case .bytes: (.varString, 0)
    }
  }

  /// DATE, DATETIME or TIMESTAMP: a length (0, 4, 7 or 11), then the fields present.
  private static func dateTime(
    _ reader: inout PayloadReader, dateOnly: Bool
  ) throws(MySQLProtocolError) -> String {
    let length = Int(try reader.int1())
    var fields = [0, 0, 0, 0, 0, 0]
    var micros = 0
    if length >= 4 {
      fields[0] = Int(try reader.int2())
      fields[1] = Int(try reader.int1())
      fields[2] = Int(try reader.int1())
    }
    if length >= 7 { for index in 3..<6 { fields[index] = Int(try reader.int1()) } }
    if length >= 11 { micros = Int(try reader.int4()) }
    let date = "\(pad(fields[0], 4))-\(pad(fields[1], 2))-\(pad(fields[2], 2))"
    if dateOnly { return date }
    let time = "\(pad(fields[3], 2)):\(pad(fields[4], 2)):\(pad(fields[5], 2))"
    return "\(date) \(time)" + (micros != 0 ? ".\(pad(micros, 6))" : "")
  }

  /// TIME: a length (0, 8 or 12), then the sign, days, hours, minutes, seconds, microseconds.
  private static func time(_ reader: inout PayloadReader) throws(MySQLProtocolError) -> String {
    let length = Int(try reader.int1())
    guard length >= 8 else { return "00:00:00" }
    let negative = try reader.int1() == 1
    let hours = Int(try reader.int4()) * 24 + Int(try reader.int1())
    let minutes = Int(try reader.int1())
    let seconds = Int(try reader.int1())
    let micros = length >= 12 ? Int(try reader.int4()) : 0
    return (negative ? "-" : "") + "\(pad(hours, 2)):\(pad(minutes, 2)):\(pad(seconds, 2))"
      + (micros != 0 ? ".\(pad(micros, 6))" : "")
  }

  private static func pad(_ value: Int, _ width: Int) -> String {
    let digits = String(value)
    return String(repeating: "0", count: max(0, width - digits.count)) + digits
  }
}
