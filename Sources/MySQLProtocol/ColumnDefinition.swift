/// MySQL's column types as result sets announce them (`MYSQL_TYPE_*`).
public enum ColumnType: UInt8, Sendable {
  case tiny = 1, short = 2, long = 3, float = 4, double = 5, null = 6, timestamp = 7
  case longlong = 8, int24 = 9, date = 10, time = 11, datetime = 12, year = 13
  case varchar = 15, bit = 16, newDecimal = 246, blob = 252, varString = 253, string = 254
}

/// One column of a result set (Protocol::ColumnDefinition41).
public struct ColumnDefinition: Sendable, Equatable {
  public var schema = ""
  public var table = ""
  public var originalTable = ""
  public var name: String
  public var originalName = ""
  /// 63 (binary) for numbers and binary strings, 45 (utf8mb4) for text.
  public var characterSet: UInt16
  public var length: UInt32
  public var type: ColumnType
  /// `NOT_NULL` 1, `PRI_KEY` 2, `UNIQUE_KEY` 4, `MULTIPLE_KEY` 8, `BLOB` 16, `UNSIGNED` 32,
  /// `BINARY` 128, `AUTO_INCREMENT` 512.
  public var flags: UInt16 = 0
  public var decimals: UInt8 = 0

  public init(name: String, type: ColumnType, length: UInt32, characterSet: UInt16) {
    self.name = name
    self.type = type
    self.length = length
    self.characterSet = characterSet
  }

  /// The packet's payload.
  public var payload: [UInt8] {
    var writer = PayloadWriter()
    writer.lengthEncoded("def")
    writer.lengthEncoded(schema)
    writer.lengthEncoded(table)
    writer.lengthEncoded(originalTable)
    writer.lengthEncoded(name)
    writer.lengthEncoded(originalName)
    writer.lengthEncoded(UInt64(0x0C))
    writer.int2(characterSet)
    writer.int4(length)
    writer.int1(type.rawValue)
    writer.int2(flags)
    writer.int1(decimals)
    writer.int2(0)
    return writer.bytes
  }

  /// The form `COM_FIELD_LIST` answers with: the definition, then the column's default value,
  /// sent as NULL (0xFB).
  public var fieldListPayload: [UInt8] { payload + [0xFB] }
}

/// A row of a text result set (Protocol::ResultsetRow): each value as a length-encoded string,
/// NULL as 0xFB.
public enum TextRow {
  public static func payload(_ values: [[UInt8]?]) -> [UInt8] {
    var writer = PayloadWriter()
    for value in values {
      if let value { writer.lengthEncoded(value) } else { writer.int1(0xFB) }
    }
    return writer.bytes
  }

  /// A row of `values`, each written as ``BinaryValue/text(as:)`` renders it for its column's
  /// type in `types` (one type per value).
  public static func payload(_ values: [BinaryValue], types: [ColumnType]) -> [UInt8] {
    precondition(values.count == types.count, "one type per value")
    return payload(zip(values, types).map { $0.text(as: $1) })
  }
}
