import Coprocessor
import SQLParser

/// Columns of `CREATE TABLE` and `ALTER TABLE` as the catalog keeps them: the type, NOT NULL,
/// AUTO_INCREMENT, the comment, and the DEFAULT checked against the column.
struct ColumnBuilder {
  /// What DEFAULT expressions compile in (the session's variables and functions).
  let context: ExecutionContext

  /// The column `definition` declares, with id `id` at `offset`, without its default: that is
  /// checked by `defaultValue(_:for:)` once NOT NULL is final (a PRIMARY KEY clause elsewhere
  /// in the table makes its columns NOT NULL). AUTO_INCREMENT and PRIMARY KEY columns are
  /// NOT NULL.
  /// - Throws: 1166/1059 for a bad name, the type's errors (1235, 1074), 1063 for
  ///   AUTO_INCREMENT on a string, 1171 for a PRIMARY KEY column declared NULL, 1294 for
  ///   ON UPDATE (no temporal types here).
  func column(
    _ definition: ColumnDefinition, id: Int64, offset: Int, warnings: inout [SQLWarning]
  ) throws(SQLError) -> ColumnInfo {
    try Identifier.check(definition.name, invalid: SQLError.incorrectColumnName)
    var (type, warning) = try ColumnTypes.fieldType(definition.type, column: definition.name)
    if let warning { warnings.append(warning) }
    if definition.isAutoIncrement && type.kind == .string {
      throw SQLError.wrongColumnSpecifier(definition.name)
    }
    if definition.onUpdate != nil {
      throw SQLError(
        code: 1294, sqlState: "HY000",
        message: "Invalid ON UPDATE clause for '\(definition.name)' column")
    }
    if definition.isPrimaryKey && Self.isExplicitlyNull(definition) {
      throw SQLError.primaryKeyColumnNull
    }
    type.notNull = definition.isNotNull || definition.isAutoIncrement || definition.isPrimaryKey
    return ColumnInfo(
      id: id, name: definition.name, offset: offset, type: type,
      autoIncrement: definition.isAutoIncrement, comment: definition.comment ?? "")
  }

  /// Whether the definition says `NULL` (last of `NULL` / `NOT NULL`).
  static func isExplicitlyNull(_ definition: ColumnDefinition) -> Bool {
    definition.options.contains(.null) && !definition.isNotNull
  }

  /// The value `DEFAULT expr` gives column `column` (nil when there is none, or it is NULL):
  /// the expression evaluated now, in the session (so a session function in it, `DATABASE()`,
  /// is frozen at its value now), and fitted to the column as a strict-mode INSERT would.
  /// - Throws: 1067 for a default that does not fit the column, NULL for a NOT NULL column, a
  ///   default on an AUTO_INCREMENT column, or a current-time default (no temporal types
  ///   here); 1101 for a non-NULL default on TEXT or BLOB; the expression's errors.
  func defaultValue(_ expr: Expr?, for column: ColumnInfo) async throws -> StoredValue? {
    guard let expr else { return nil }
    if column.autoIncrement { throw SQLError.invalidDefault(column.name) }
    if case .function(let call) = expr, Self.currentTimeFunctions.contains(call.name) {
      throw SQLError.invalidDefault(column.name)
    }
    let compiled = try await ExpressionCompiler(
      schema: PlanSchema(columns: []), session: context, clause: "default"
    ).compile(expr)
    let value = try compiled.constant ?? compiled.evaluator(width: 0).value([])
    if value == .null {
      if column.type.notNull { throw SQLError.invalidDefault(column.name) }
      return nil
    }
    if Self.isBlob(column.type) { throw SQLError.blobDefault(column.name) }
    var conversion = ColumnConversion(strict: true)
    do {
      return StoredValue(try conversion.convert(value, to: column, row: 1))
    } catch {
      throw SQLError.invalidDefault(column.name)
    }
  }

  /// The functions MySQL takes as `DEFAULT CURRENT_TIMESTAMP`.
  private static let currentTimeFunctions: Set<String> = [
    "current_timestamp", "now", "localtime", "localtimestamp",
  ]

  /// Whether `type` is TEXT or BLOB (which take no default but NULL).
  static func isBlob(_ type: FieldType) -> Bool {
    [MySQLType.tinyBlob, .blob, .mediumBlob, .longBlob].contains(type.type)
  }

  /// What rows written before column `column` was added read for it: its default, else the
  /// type's zero value for a NOT NULL column (MySQL fills them so), else NULL (nil).
  static func originalDefault(of column: ColumnInfo) -> StoredValue? {
    if let value = column.defaultValue { return value }
    return column.type.notNull ? StoredValue(Session.zero(column.type)) : nil
  }
}
