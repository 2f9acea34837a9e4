import SQLParser

extension Session {
  /// DDL statements (being written).
  func runDDL(_ statement: Statement) async throws -> StatementResult {
    throw SQLError.unsupported(statement.description)
  }
}
