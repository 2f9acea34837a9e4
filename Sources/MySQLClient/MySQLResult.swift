import MySQLProtocol

/// One column of a result set, as its definition packet describes it.
public struct MySQLColumn: Sendable, Equatable {
  public var name: String
  public var table: String
  public var type: ColumnType
  /// MySQL's column flags: `NOT_NULL` 1, `PRI_KEY` 2, `UNSIGNED` 32, ...
  public var flags: UInt16

  /// Whether the column holds unsigned integers.
  public var isUnsigned: Bool { flags & 32 != 0 }
}

/// One statement's answer: a result set (columns and rows), or the OK of a statement without
/// rows (affected rows, the last AUTO_INCREMENT id).
public struct MySQLResult: Sendable, Equatable {
  /// The result set's columns; empty for a statement without rows.
  public var columns: [MySQLColumn] = []
  /// One value per column. A text result (``MySQLConnection/query(_:)``) holds every value
  /// as `.bytes` of its text; a binary one (``MySQLConnection/execute(_:_:)``) holds integers
  /// as `.int`/`.uint`, floating point as `.double`, dates and times as their text, the rest as
  /// `.bytes`. NULL is `.null` either way.
  public var rows: [[BinaryValue]] = []
  public var affectedRows: UInt64 = 0
  public var lastInsertID: UInt64 = 0
  public var status: ServerStatus = []
  public var warnings: UInt16 = 0

  public init() {}

  /// Whether the statement returned a result set (possibly without rows).
  public var hasResultSet: Bool { !columns.isEmpty }
}

/// A statement prepared on the server (`COM_STMT_PREPARE`), to run with
/// ``MySQLConnection/execute(_:_:)`` on the connection that prepared it.
public struct MySQLStatement: Sendable, Equatable {
  /// The server's id of the statement.
  public let id: UInt32
  /// How many `?` parameters an execute must bind.
  public let parameterCount: Int
  /// The result set's columns, when the server knows them at prepare time.
  public let columns: [MySQLColumn]
}
