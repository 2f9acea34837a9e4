import Coprocessor
import SQLParser

/// Column types: the `DataType` a definition writes as the `FieldType` a column keeps, and
/// which type changes leave every stored value valid as it is.
///
/// Integers, FLOAT, DOUBLE and the string types are stored as MySQL stores them; DECIMAL is
/// stored as DOUBLE (with a warning: this server has no exact decimals); the temporal types,
/// BIT, ENUM, SET and JSON are refused (1235).
enum ColumnTypes {
  /// The most characters of a VARCHAR (65,535 bytes of utf8mb4) and bytes of a VARBINARY.
  static let maxVarchar = 16383
  static let maxVarbinary = 65535
  /// The most characters of a CHAR and bytes of a BINARY.
  static let maxChar = 255

  /// The type column `column` keeps when declared as `type`.
  /// - Returns: the type, and a warning when it is stored as another type than written.
  /// - Throws: 1235 for a type this server does not store, 1074 for a string type longer
  ///   than MySQL allows.
  static func fieldType(
    _ type: DataType, column: String
  ) throws(SQLError) -> (type: FieldType, warning: SQLWarning?) {
    let length = type.length ?? -1
    let binaryCharset = type.charset == "binary"
    switch type.base {
    case .tinyInt: return (FieldType(.tiny, length: length, unsigned: type.isUnsigned), nil)
    case .smallInt: return (FieldType(.short, length: length, unsigned: type.isUnsigned), nil)
    case .mediumInt: return (FieldType(.int24, length: length, unsigned: type.isUnsigned), nil)
    case .int: return (FieldType(.long, length: length, unsigned: type.isUnsigned), nil)
    case .bigInt: return (FieldType(.longlong, length: length, unsigned: type.isUnsigned), nil)
    case .float, .double:
      let decimals = type.decimals ?? -1
      return (
        FieldType(
          type.base == .float ? .float : .double, length: decimals >= 0 ? length : -1,
          decimals: decimals, unsigned: type.isUnsigned), nil
      )
    case .decimal:
      let warning = SQLWarning(
        level: "Warning", code: 1105,
        message: "DECIMAL column '\(column)' is stored as DOUBLE (no exact decimals here)")
      return (FieldType(.double, unsigned: type.isUnsigned), warning)
    case .char, .binary:
      let width = max(length, 1)
      if width > maxChar { throw SQLError.columnTooLong(column, max: maxChar) }
      return (FieldType(.string, length: width, binary: type.base == .binary || binaryCharset), nil)
    case .varChar, .varBinary:
      let binary = type.base == .varBinary || binaryCharset
      let limit = binary ? maxVarbinary : maxVarchar
      if length > limit { throw SQLError.columnTooLong(column, max: limit) }
      return (FieldType(.varchar, length: max(length, 0), binary: binary), nil)
    case .tinyText, .tinyBlob:
      return (FieldType(.tinyBlob, binary: type.base == .tinyBlob || binaryCharset), nil)
    case .text, .blob:
      return (FieldType(.blob, binary: type.base == .blob || binaryCharset), nil)
    case .mediumText, .mediumBlob:
      return (FieldType(.mediumBlob, binary: type.base == .mediumBlob || binaryCharset), nil)
    case .longText, .longBlob:
      return (FieldType(.longBlob, binary: type.base == .longBlob || binaryCharset), nil)
    case .bit, .date, .time, .dateTime, .timestamp, .year, .enumeration, .set, .json:
      throw SQLError.unsupported("the \(type.base.rawValue) column type")
    }
  }

  /// Whether a column of type `old` can become type `new` without touching its rows: every
  /// stored value reads back the same and fits the new type (a larger integer of the same
  /// signedness, FLOAT to DOUBLE, a longer string of the same binary-ness, CHAR to VARCHAR or
  /// TEXT, VARCHAR to TEXT). NOT NULL is not compared.
  static func isWidening(from old: FieldType, to new: FieldType) -> Bool {
    guard old.kind == new.kind, old.unsigned == new.unsigned else { return false }
    switch old.kind {
    case .int:
      guard let oldRank = integerRank(old.type), let newRank = integerRank(new.type) else {
        return false
      }
      return newRank >= oldRank
    case .real:
      return old.type == new.type || (old.type == .float && new.type == .double)
    case .string:
      guard old.binary == new.binary, let oldMax = old.maxStringLength,
        let newMax = new.maxStringLength, newMax >= oldMax
      else { return false }
      // CHAR drops trailing spaces and BINARY pads with zero bytes: neither is what the other
      // types store, so only a wider CHAR stays a CHAR, and BINARY(n) stays as it is.
      if new.type == .string { return old.type == .string && (!old.binary || newMax == oldMax) }
      return !(old.type == .string && old.binary)
    }
  }

  /// The order of the integer types by size.
  private static func integerRank(_ type: MySQLType) -> Int? {
    [MySQLType.tiny, .short, .int24, .long, .longlong].firstIndex(of: type)
  }
}
