import Coprocessor
import SQLParser

/// A statement prepared by `COM_STMT_PREPARE`.
struct PreparedQuery {
  var statement: Statement
  var parameterCount: Int
}

extension Session {
  /// Parses `sql` (one statement) for later runs with bound parameters.
  /// - Returns: the statement's id and how many `?` it has.
  public func prepare(_ sql: String) throws(SQLError) -> (id: UInt32, parameterCount: Int) {
    let parsed: ParsedStatement
    do {
      parsed = try SQLParser.prepare(sql)
    } catch {
      throw SQLError(code: UInt16(error.code), sqlState: error.sqlState, message: error.message)
    }
    nextStatementID += 1
    prepared[nextStatementID] = PreparedQuery(
      statement: parsed.statement, parameterCount: parsed.parameterCount)
    return (nextStatementID, parsed.parameterCount)
  }

  /// Runs prepared statement `id` with `parameters` bound to its placeholders in order.
  public func execute(
    statement id: UInt32, parameters: [Datum]
  ) async -> (result: StatementResult?, error: SQLError?) {
    guard let query = prepared[id] else {
      return (
        nil,
        SQLError(
          code: 1243, sqlState: "HY000",
          message: "Unknown prepared statement handler (\(id)) given to EXECUTE")
      )
    }
    guard parameters.count == query.parameterCount else {
      return (
        nil, SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to EXECUTE")
      )
    }
    self.parameters = parameters
    defer { self.parameters = [] }
    do {
      return (try await run(query.statement), nil)
    } catch {
      return (nil, SessionErrors.sqlError(error))
    }
  }

  /// Forgets prepared statement `id`.
  public func deallocate(statement id: UInt32) { prepared[id] = nil }
}
