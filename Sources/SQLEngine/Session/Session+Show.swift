import SQLParser

extension Session {
  /// SHOW statements (being written).
  func runShow(_ show: ShowStatement, in context: ExecutionContext?) async throws -> StatementResult {
    throw SQLError.unsupported(show.description)
  }
}
