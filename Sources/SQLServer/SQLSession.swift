import MySQLProtocol

/// An error the SQL layer answers with: a MySQL error code, its SQLSTATE and the message.
public struct SQLFailure: Error, Sendable, Equatable {
  public var code: UInt16  // e.g. 1064
  public var sqlState: String  // e.g. "42000" (5 characters)
  public var message: String

  public init(code: UInt16, sqlState: String, message: String) {
    self.code = code
    self.sqlState = sqlState
    self.message = message
  }
}

/// A statement's outcome.
public enum SQLResult: Sendable {
  /// A statement without rows: affected rows, the last AUTO_INCREMENT id, an info text.
  case ok(affectedRows: UInt64, lastInsertID: UInt64, info: String)
  /// A result set. Each row holds one value per column, as its binary kind; the server writes
  /// them as text for COM_QUERY and as binary rows for COM_STMT_EXECUTE.
  case rows(columns: [ColumnDefinition], rows: [[BinaryValue]])
}

/// What the server knows of a prepared statement.
public struct PreparedStatement: Sendable {
  public var parameterCount: Int
  /// The result set's columns if the statement returns rows and they are known at prepare
  /// time (may be empty).
  public var columns: [ColumnDefinition]

  public init(parameterCount: Int, columns: [ColumnDefinition]) {
    self.parameterCount = parameterCount
    self.columns = columns
  }
}

/// One client connection's SQL session. The server creates one per connection after the
/// handshake and calls it from that connection's task only, one call at a time.
public protocol SQLSession: AnyObject {
  /// The status flags for OK/EOF packets: `.autocommit`, `.inTransaction`.
  var status: ServerStatus { get }
  /// Warnings of the last statement (for OK/EOF packets' warning count).
  var warningCount: UInt16 { get }
  /// Whether `query` may run several statements (`CLIENT_MULTI_STATEMENTS` in the handshake,
  /// then `COM_SET_OPTION`): when false, a text of more than one statement fails whole with
  /// 1064 (42000), as in MySQL. The server sets it before the first query and on each
  /// `COM_SET_OPTION`.
  var multiStatements: Bool { get set }
  /// `COM_INIT_DB` and the handshake's database.
  func useDatabase(_ name: String) async throws(SQLFailure)
  /// `COM_QUERY`: runs every statement of `sql` in order and returns their outcomes; stops at
  /// the first failure, which is returned after the outcomes before it.
  func query(_ sql: String) async -> (results: [SQLResult], failure: SQLFailure?)
  /// `COM_FIELD_LIST`: a table's columns.
  func fieldList(table: String) async throws(SQLFailure) -> [ColumnDefinition]
  /// `COM_STMT_PREPARE`: the server allocates the statement id and keeps the parameter types.
  func prepare(_ sql: String) async throws(SQLFailure) -> (id: UInt32, statement: PreparedStatement)
  /// `COM_STMT_EXECUTE` with the parameters decoded (`.null` for NULL).
  func execute(statement id: UInt32, parameters: [BinaryValue]) async throws(SQLFailure)
    -> SQLResult
  /// `COM_STMT_CLOSE` (no answer is sent).
  func closeStatement(_ id: UInt32)
  /// The connection ended (COM_QUIT, a reset, a protocol error): roll back what is open.
  func close() async
}
