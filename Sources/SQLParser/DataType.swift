/// A column's type as written in `CREATE TABLE` or `ALTER TABLE`, normalised to MySQL's own
/// names: `INTEGER` is `INT`, `BOOL` is `TINYINT(1)`, `NUMERIC` is `DECIMAL`, `REAL` is `DOUBLE`,
/// `FLOAT(p)` is `FLOAT` or (p > 24) `DOUBLE`, `CHARACTER VARYING` is `VARCHAR`, `NCHAR` is
/// `CHAR` in `utf8`.
public struct DataType: Sendable, Hashable, CustomStringConvertible {
  /// The type without its attributes.
  public var base: Base
  /// The length in parentheses: an integer's display width, `CHAR(n)`'s characters,
  /// `DECIMAL(m, d)`'s `m`, a time's fractional digits; nil when not written.
  public var length: Int?
  /// `DECIMAL(m, d)`'s (or `FLOAT(m, d)`'s, `DOUBLE(m, d)`'s) `d`; nil when not written.
  public var decimals: Int?
  /// `UNSIGNED` (implied by `ZEROFILL`).
  public var isUnsigned: Bool
  /// `ZEROFILL`.
  public var isZerofill: Bool
  /// `CHARACTER SET` (lower-cased), for the string types.
  public var charset: String?
  /// `COLLATE` (lower-cased), for the string types, wherever it came in the column definition.
  public var collation: String?
  /// The `BINARY` attribute of a string type: the character set's binary collation.
  public var binaryCollation: Bool
  /// The values of `ENUM` and `SET`, in order.
  public var elements: [String]

  /// A type.
  public init(
    _ base: Base, length: Int? = nil, decimals: Int? = nil, isUnsigned: Bool = false,
    isZerofill: Bool = false, charset: String? = nil, collation: String? = nil,
    binaryCollation: Bool = false, elements: [String] = []
  ) {
    self.base = base
    self.length = length
    self.decimals = decimals
    self.isUnsigned = isUnsigned || isZerofill
    self.isZerofill = isZerofill
    self.charset = charset
    self.collation = collation
    self.binaryCollation = binaryCollation
    self.elements = elements
  }

  /// The base types.
  public enum Base: String, Sendable, Hashable, CaseIterable {
    case tinyInt = "TINYINT"
    case smallInt = "SMALLINT"
    case mediumInt = "MEDIUMINT"
    case int = "INT"
    case bigInt = "BIGINT"
    case decimal = "DECIMAL"
    case float = "FLOAT"
    case double = "DOUBLE"
    case bit = "BIT"
    case date = "DATE"
    case time = "TIME"
    case dateTime = "DATETIME"
    case timestamp = "TIMESTAMP"
    case year = "YEAR"
    case char = "CHAR"
    case varChar = "VARCHAR"
    case binary = "BINARY"
    case varBinary = "VARBINARY"
    case tinyText = "TINYTEXT"
    case text = "TEXT"
    case mediumText = "MEDIUMTEXT"
    case longText = "LONGTEXT"
    case tinyBlob = "TINYBLOB"
    case blob = "BLOB"
    case mediumBlob = "MEDIUMBLOB"
    case longBlob = "LONGBLOB"
    case enumeration = "ENUM"
    case set = "SET"
    case json = "JSON"

    /// Whether the type is numeric (takes `UNSIGNED` and `ZEROFILL`).
    public var isNumeric: Bool {
      switch self {
      case .tinyInt, .smallInt, .mediumInt, .int, .bigInt, .decimal, .float, .double: true
      default: false
      }
    }

    /// Whether the type holds characters (takes `CHARACTER SET` and `COLLATE`).
    public var isCharacterString: Bool {
      switch self {
      case .char, .varChar, .tinyText, .text, .mediumText, .longText, .enumeration, .set: true
      default: false
      }
    }
  }

  /// The type as SQL: `INT(11) UNSIGNED`, `VARCHAR(20) CHARACTER SET utf8mb4`.
  public var description: String {
    var text = base.rawValue
    if base == .enumeration || base == .set {
      text += "(" + elements.map { Quoting.string(Array($0.utf8)) }.joined(separator: ",") + ")"
    } else {
      text += CastType.arguments(length, decimals)
    }
    if isUnsigned { text += " UNSIGNED" }
    if isZerofill { text += " ZEROFILL" }
    if binaryCollation { text += " BINARY" }
    if let charset { text += " CHARACTER SET " + Quoting.name(charset) }
    if let collation { text += " COLLATE " + Quoting.name(collation) }
    return text
  }
}
