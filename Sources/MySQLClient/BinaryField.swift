import MySQLProtocol

/// Values in the binary protocol of prepared statements: a result row's columns read, an
/// execute's parameters written.
enum BinaryField {
  /// Reads one non-NULL value of `column`'s type (`BinaryValue.read`): integers in their
  /// type's width, FLOAT and DOUBLE, dates and times as their text, the rest as bytes.
  static func read(
    _ column: MySQLColumn, from reader: inout PayloadReader
  ) throws(MySQLProtocolError) -> BinaryValue {
    try BinaryValue.read(column.type, unsigned: column.isUnsigned, from: &reader)
  }

  /// Writes a parameter's value in the form of the type ``type(of:)`` gives it: integers as
  /// LONGLONG, doubles as DOUBLE, bytes as VAR_STRING; NULL writes nothing (the execute's
  /// bitmap says it).
  static func write(_ value: BinaryValue, to writer: inout PayloadWriter) {
    value.write(as: type(of: value).type, to: &writer)
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
}
