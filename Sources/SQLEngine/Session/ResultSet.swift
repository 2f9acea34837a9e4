import Coprocessor

/// A column of a result set, with what MySQL's column definition reports.
public struct ResultColumn: Sendable, Equatable {
  public var name: String
  public var table: String
  public var originalTable: String
  public var originalName: String
  public var database: String
  public var type: FieldType
}

/// What a statement answers.
public enum StatementResult: Sendable {
  /// A statement without rows.
  case ok(affectedRows: UInt64, lastInsertID: UInt64, info: String)
  /// Rows.
  case rows(columns: [ResultColumn], rows: [[Datum]])
}
