/// The errors of DDL statements that `SQLError.swift` does not have, with MySQL's codes and
/// texts.
extension SQLError {
  static let tableWithoutColumns = SQLError(
    code: 1113, sqlState: "42000", message: "A table must have at least 1 column")
  static let wrongAutoColumn = SQLError(
    code: 1075, sqlState: "42000",
    message:
      "Incorrect table definition; there can be only one auto column and it must be defined as a key"
  )
  static let primaryKeyColumnNull = SQLError(
    code: 1171, sqlState: "42000",
    message:
      "All parts of a PRIMARY KEY must be NOT NULL; if you need NULL in a key, use UNIQUE instead")
  static let invalidUseOfNull = SQLError(
    code: 1138, sqlState: "22004", message: "Invalid use of NULL value")
  static let cannotDropAllColumns = SQLError(
    code: 1090, sqlState: "42000",
    message: "You can't delete all columns with ALTER TABLE; use DROP TABLE instead")

  static func keyColumnMissing(_ name: String) -> SQLError {
    SQLError(code: 1072, sqlState: "42000", message: "Key column '\(name)' doesn't exist in table")
  }
  static func keyMissing(_ key: String, table: String) -> SQLError {
    SQLError(
      code: 1176, sqlState: "42000", message: "Key '\(key)' doesn't exist in table '\(table)'")
  }
  static func incorrectIndexName(_ name: String) -> SQLError {
    SQLError(code: 1280, sqlState: "42000", message: "Incorrect index name '\(name)'")
  }
  static func wrongColumnSpecifier(_ column: String) -> SQLError {
    SQLError(
      code: 1063, sqlState: "42000", message: "Incorrect column specifier for column '\(column)'")
  }
  static func columnTooLong(_ column: String, max: Int) -> SQLError {
    SQLError(
      code: 1074, sqlState: "42000",
      message:
        "Column length too big for column '\(column)' (max = \(max)); use BLOB or TEXT instead")
  }
  static func blobDefault(_ column: String) -> SQLError {
    SQLError(
      code: 1101, sqlState: "42000",
      message: "BLOB, TEXT, GEOMETRY or JSON column '\(column)' can't have a default value")
  }
  static func identifierTooLong(_ name: String) -> SQLError {
    SQLError(code: 1059, sqlState: "42000", message: "Identifier name '\(name)' is too long")
  }
  static func incorrectDatabaseName(_ name: String) -> SQLError {
    SQLError(code: 1102, sqlState: "42000", message: "Incorrect database name '\(name)'")
  }
  static func incorrectTableName(_ name: String) -> SQLError {
    SQLError(code: 1103, sqlState: "42000", message: "Incorrect table name '\(name)'")
  }
  static func incorrectColumnName(_ name: String) -> SQLError {
    SQLError(code: 1166, sqlState: "42000", message: "Incorrect column name '\(name)'")
  }

  /// The warning (level `Note`) MySQL gives instead of this error under `IF [NOT] EXISTS`.
  var note: SQLWarning { SQLWarning(level: "Note", code: code, message: message) }
}

/// MySQL's limit on the names of databases, tables, columns and indexes.
enum Identifier {
  static let maxLength = 64

  /// Checks a database, table, column or index name: not empty, no trailing space, at most 64
  /// characters.
  /// - Throws: `invalid(name)` for an empty name or one ending in a space, 1059 for a long one.
  static func check(_ name: String, invalid: (String) -> SQLError) throws(SQLError) {
    if name.isEmpty || name.hasSuffix(" ") { throw invalid(name) }
    if name.count > maxLength { throw SQLError.identifierTooLong(name) }
  }
}
