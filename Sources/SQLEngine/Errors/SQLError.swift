/// An error a statement answers with, as MySQL names it: the error code, its SQLSTATE and the
/// message. The constructors below are MySQL's (and TiDB's, for 8xxx/9xxx) texts; docs/SQL.md
/// lists them.
public struct SQLError: Error, Sendable, Equatable, CustomStringConvertible {
  public var code: UInt16
  public var sqlState: String
  public var message: String

  public init(code: UInt16, sqlState: String, message: String) {
    self.code = code
    self.sqlState = sqlState
    self.message = message
  }

  public var description: String { "ERROR \(code) (\(sqlState)): \(message)" }

  /// Whether the application may run the transaction again (a write conflict, a schema
  /// changed under it, a lock that would not clear).
  public var isRetryable: Bool { [9007, 8028, 8002, 9006].contains(code) }
}

extension SQLError {
  // MARK: Names

  static func unknownDatabase(_ name: String) -> SQLError {
    SQLError(code: 1049, sqlState: "42000", message: "Unknown database '\(name)'")
  }
  static let noDatabaseSelected = SQLError(
    code: 1046, sqlState: "3D000", message: "No database selected")
  static func databaseExists(_ name: String) -> SQLError {
    SQLError(
      code: 1007, sqlState: "HY000",
      message: "Can't create database '\(name)'; database exists")
  }
  static func databaseMissing(_ name: String) -> SQLError {
    SQLError(
      code: 1008, sqlState: "HY000",
      message: "Can't drop database '\(name)'; database doesn't exist")
  }
  static func noSuchTable(_ schema: String, _ table: String) -> SQLError {
    SQLError(code: 1146, sqlState: "42S02", message: "Table '\(schema).\(table)' doesn't exist")
  }
  static func tableExists(_ name: String) -> SQLError {
    SQLError(code: 1050, sqlState: "42S01", message: "Table '\(name)' already exists")
  }
  static func unknownTable(_ names: String) -> SQLError {
    SQLError(code: 1051, sqlState: "42S02", message: "Unknown table '\(names)'")
  }
  static func unknownColumn(_ name: String, in place: String) -> SQLError {
    SQLError(code: 1054, sqlState: "42S22", message: "Unknown column '\(name)' in '\(place)'")
  }
  static func ambiguousColumn(_ name: String, in place: String) -> SQLError {
    SQLError(code: 1052, sqlState: "23000", message: "Column '\(name)' in \(place) is ambiguous")
  }
  static func duplicateColumn(_ name: String) -> SQLError {
    SQLError(code: 1060, sqlState: "42S21", message: "Duplicate column name '\(name)'")
  }
  static func duplicateKeyName(_ name: String) -> SQLError {
    SQLError(code: 1061, sqlState: "42000", message: "Duplicate key name '\(name)'")
  }
  static let multiplePrimaryKeys = SQLError(
    code: 1068, sqlState: "42000", message: "Multiple primary key defined")
  static func cannotDrop(_ name: String) -> SQLError {
    SQLError(
      code: 1091, sqlState: "42000",
      message: "Can't DROP '\(name)'; check that column/key exists")
  }
  static func unknownVariable(_ name: String) -> SQLError {
    SQLError(code: 1193, sqlState: "HY000", message: "Unknown system variable '\(name)'")
  }

  // MARK: Data

  static func duplicateEntry(_ value: String, key: String) -> SQLError {
    SQLError(
      code: 1062, sqlState: "23000", message: "Duplicate entry '\(value)' for key '\(key)'")
  }
  static func columnCannotBeNull(_ name: String) -> SQLError {
    SQLError(code: 1048, sqlState: "23000", message: "Column '\(name)' cannot be null")
  }
  static func outOfRange(_ column: String, row: Int) -> SQLError {
    SQLError(
      code: 1264, sqlState: "22003",
      message: "Out of range value for column '\(column)' at row \(row)")
  }
  static func dataTooLong(_ column: String, row: Int) -> SQLError {
    SQLError(
      code: 1406, sqlState: "22001", message: "Data too long for column '\(column)' at row \(row)")
  }
  static func incorrectValue(
    _ kind: String, _ value: String, column: String, row: Int
  ) -> SQLError {
    SQLError(
      code: 1366, sqlState: "HY000",
      message: "Incorrect \(kind) value: '\(value)' for column '\(column)' at row \(row)")
  }
  static func noDefault(_ column: String) -> SQLError {
    SQLError(
      code: 1364, sqlState: "HY000", message: "Field '\(column)' doesn't have a default value")
  }
  static func invalidDefault(_ column: String) -> SQLError {
    SQLError(code: 1067, sqlState: "42000", message: "Invalid default value for '\(column)'")
  }
  static func columnCountMismatch(row: Int) -> SQLError {
    SQLError(
      code: 1136, sqlState: "21S01", message: "Column count doesn't match value count at row \(row)"
    )
  }
  static func operandColumns(_ count: Int) -> SQLError {
    SQLError(code: 1241, sqlState: "21000", message: "Operand should contain \(count) column(s)")
  }
  static let subqueryMoreThanOneRow = SQLError(
    code: 1242, sqlState: "21000", message: "Subquery returns more than 1 row")
  static let invalidGroupFunction = SQLError(
    code: 1111, sqlState: "HY000", message: "Invalid use of group function")
  static let differentColumnCounts = SQLError(
    code: 1222, sqlState: "21000",
    message: "The used SELECT statements have a different number of columns")

  // MARK: Engine

  /// A feature this server does not have (MySQL's ER_NOT_SUPPORTED_YET).
  static func unsupported(_ what: String) -> SQLError {
    SQLError(
      code: 1235, sqlState: "42000",
      message: "This version of TinySQL doesn't yet support '\(what)'"
    )
  }
  /// Anything else (MySQL's ER_UNKNOWN_ERROR).
  static func internalError(_ message: String) -> SQLError {
    SQLError(code: 1105, sqlState: "HY000", message: message)
  }
  /// Another transaction wrote a key this one writes since it started (TiDB's 9007): retry.
  static func writeConflict(_ detail: String) -> SQLError {
    SQLError(
      code: 9007, sqlState: "HY000",
      message: "Write conflict, \(detail) [try again later]")
  }
  /// The schema of a table this transaction wrote changed before it committed (TiDB's 8028).
  static let schemaChanged = SQLError(
    code: 8028, sqlState: "HY000",
    message: "Information schema is changed during the execution of the statement [try again later]"
  )
}
