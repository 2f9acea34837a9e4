/// MySQL's column type codes, as `ColumnInfo.tp` and `FieldType.tp` carry them.
public enum MySQLType: Int32, Sendable {
  case tiny = 1
  case short = 2
  case long = 3
  case float = 4
  case double = 5
  case null = 6
  case timestamp = 7
  case longlong = 8
  case int24 = 9
  case date = 10
  case duration = 11
  case datetime = 12
  case year = 13
  case newDate = 14
  case varchar = 15
  case bit = 16
  case json = 0xF5
  case newDecimal = 0xF6
  case `enum` = 0xF7
  case set = 0xF8
  case tinyBlob = 0xF9
  case mediumBlob = 0xFA
  case longBlob = 0xFB
  case blob = 0xFC
  case varString = 0xFD
  case string = 0xFE
  case geometry = 0xFF

  /// The flag bit of an unsigned integer column (`ColumnInfo.flag`, `FieldType.flag`).
  public static let unsignedFlag: Int32 = 1 << 5

  /// How a row stores a value of this type.
  enum Storage {
    case integer, real, bytes
  }

  /// How a row stores a value of this type; nil for the types TinySQL's rows do not hold.
  var storage: Storage? {
    switch self {
    case .tiny, .short, .long, .longlong, .int24, .year, .bit: .integer
    case .float, .double: .real
    case .varchar, .varString, .string, .tinyBlob, .mediumBlob, .longBlob, .blob: .bytes
    default: nil
    }
  }
}
