import Coprocessor

/// A column's SQL type: MySQL's type code with its length, decimals and flags, as TiDB's
/// `FieldType` keeps it. Integers, reals and strings; TinySQL's rows hold nothing else.
public struct FieldType: Codable, Sendable, Equatable {
  /// MySQL's type code (`MySQLType`).
  public var code: Int32
  /// The declared length (characters of a string, display width of a number); -1 when none.
  public var length: Int
  /// Digits after the point (FLOAT(m,d), DOUBLE(m,d)); -1 when none.
  public var decimals: Int
  public var unsigned: Bool
  /// A binary string (BINARY, VARBINARY, BLOB): compared and stored as bytes.
  public var binary: Bool
  public var notNull: Bool

  public init(
    _ type: MySQLType, length: Int = -1, decimals: Int = -1, unsigned: Bool = false,
    binary: Bool = false, notNull: Bool = false
  ) {
    code = type.rawValue
    self.length = length
    self.decimals = decimals
    self.unsigned = unsigned
    self.binary = binary
    self.notNull = notNull
  }

  /// The MySQL type.
  public var type: MySQLType { MySQLType(rawValue: code) ?? .varString }

  /// How values of this type evaluate.
  public var kind: ValueKind {
    switch type {
    case .tiny, .short, .int24, .long, .longlong, .year, .bit: .int
    case .float, .double: .real
    default: .string
    }
  }

  /// Whether this is a text type (compared as characters, counted in characters).
  public var isText: Bool { kind == .string && !binary }

  /// The range of a signed integer column; nil for other types.
  public var signedRange: ClosedRange<Int64>? {
    guard kind == .int, !unsigned else { return nil }
    switch type {
    case .tiny: return -128...127
    case .short: return -32768...32767
    case .int24: return -8_388_608...8_388_607
    case .long: return Int64(Int32.min)...Int64(Int32.max)
    default: return Int64.min...Int64.max
    }
  }

  /// The largest value of an unsigned integer column; nil for other types.
  public var unsignedMax: UInt64? {
    guard kind == .int, unsigned else { return nil }
    switch type {
    case .tiny: return 255
    case .short: return 65535
    case .int24: return 16_777_215
    case .long: return UInt64(UInt32.max)
    default: return UInt64.max
    }
  }

  /// The most bytes (binary) or characters (text) a string column holds; nil for other types.
  public var maxStringLength: Int? {
    switch type {
    case .string, .varchar, .varString: return length >= 0 ? length : (type == .string ? 1 : nil)
    case .tinyBlob: return 255
    case .blob: return 65535
    case .mediumBlob: return 16_777_215
    case .longBlob: return Int(UInt32.max)
    default: return nil
    }
  }

  /// The type as `SHOW CREATE TABLE` and `DESC` write it (MySQL 8's spelling: integer display
  /// widths omitted except `tinyint(1)`).
  public var sqlName: String {
    var name: String
    switch type {
    case .tiny: name = length == 1 ? "tinyint(1)" : "tinyint"
    case .short: name = "smallint"
    case .int24: name = "mediumint"
    case .long: name = "int"
    case .longlong: name = "bigint"
    case .year: name = "year"
    case .bit: name = "bit(\(max(length, 1)))"
    case .float, .double:
      name = type == .float ? "float" : "double"
      if length > 0, decimals >= 0 { name += "(\(length),\(decimals))" }
    case .string: name = (binary ? "binary" : "char") + "(\(max(length, 1)))"
    case .varchar, .varString: name = (binary ? "varbinary" : "varchar") + "(\(max(length, 0)))"
    case .tinyBlob: name = binary ? "tinyblob" : "tinytext"
    case .blob: name = binary ? "blob" : "text"
    case .mediumBlob: name = binary ? "mediumblob" : "mediumtext"
    case .longBlob: name = binary ? "longblob" : "longtext"
    default: name = "\(type)"
    }
    if unsigned { name += " unsigned" }
    return name
  }
}

/// How a value evaluates: TiDB's evaluation types for the values TinySQL's rows hold (the
/// coprocessor's kinds, which pick a function's signature).
public typealias ValueKind = ScalarFunction.Kind
