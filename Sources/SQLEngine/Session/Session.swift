import Coprocessor
import Foundation
import SQLParser

/// One client's SQL session: its current database, variables, open transaction, warnings and
/// prepared statements. Used from one task at a time (one connection's).
public final class Session {
  public let domain: Domain
  public let connectionID: UInt32
  public let user: String
  public internal(set) var currentDatabase: String?
  var variables = SystemVariables()
  var userVariables: [String: Datum] = [:]
  /// Warnings of the last statement, for `SHOW WARNINGS`.
  public internal(set) var warnings: [SQLWarning] = []
  public internal(set) var lastInsertID: UInt64 = 0
  /// The open transaction: explicit (`BEGIN`) or implicit (`autocommit = 0`).
  var transaction: OpenTransaction?
  var prepared: [UInt32: PreparedQuery] = [:]
  var nextStatementID: UInt32 = 0
  /// The bound parameters of the prepared statement running.
  var parameters: [Datum] = []

  public init(domain: Domain, connectionID: UInt32, user: String = "root") {
    self.domain = domain
    self.connectionID = connectionID
    self.user = user
  }

  /// Whether a transaction is open (for the server's status flags).
  public var inTransaction: Bool { transaction != nil }
  /// `autocommit` is on.
  public var autocommit: Bool { variables.autocommit }

  /// Runs every statement of `sql` in order.
  /// - Parameter allowingSeveral: whether `sql` may hold more than one statement (a client
  ///   that did not ask for multi-statements gets a syntax error for a second one).
  /// - Returns: their results, and the error of the first that failed (the ones after it do
  ///   not run).
  public func execute(
    _ sql: String, allowingSeveral: Bool = true
  ) async -> (results: [StatementResult], error: SQLError?) {
    let statements: [Statement]
    do {
      statements = try SQLParser.parse(sql)
    } catch {
      return (
        [], SQLError(code: UInt16(error.code), sqlState: error.sqlState, message: error.message)
      )
    }
    if statements.isEmpty {
      return ([], SQLError(code: 1065, sqlState: "42000", message: "Query was empty"))
    }
    if statements.count > 1 && !allowingSeveral {
      return (
        [],
        SQLError(
          code: 1064, sqlState: "42000",
          message: "You have an error in your SQL syntax: several statements in one query, "
            + "and the client did not ask for multi-statements")
      )
    }
    var results: [StatementResult] = []
    for statement in statements {
      do {
        results.append(try await run(statement))
      } catch {
        let failure = SessionErrors.sqlError(error)
        // SHOW WARNINGS and SHOW ERRORS list the error too, as MySQL's do.
        warnings = [SQLWarning(level: "Error", code: failure.code, message: failure.message)]
        return (results, failure)
      }
    }
    return (results, nil)
  }

  /// `USE name`. - Throws: 1049 for a database that does not exist.
  public func use(_ name: String) async throws(SQLError) {
    do {
      let txn = try await domain.store.begin()
      let schema = try await domain.infoSchema(for: txn)
      guard let database = schema.database(name) else { throw SQLError.unknownDatabase(name) }
      currentDatabase = database.info.name
    } catch {
      throw SessionErrors.sqlError(error)
    }
  }

  /// Ends the session: rolls back what is open.
  public func close() async {
    transaction = nil
  }

  /// Runs one statement, in the open transaction or in one of its own.
  func run(_ statement: Statement) async throws -> StatementResult {
    if case .show(let show) = statement {
      switch show.kind {
      case .warnings, .errors: return try await runShow(show, in: nil)
      default: break
      }
    }
    warnings = []
    switch statement {
    case .startTransaction:
      try await commitOpen()
      transaction = OpenTransaction(txn: try await domain.store.begin(), explicit: true)
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    case .commit:
      try await commitOpen()
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    case .rollback:
      transaction = nil
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    case .use(let name):
      try await use(name)
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    case .set(let set):
      return try await runSet(set)
    case .setTransaction:
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    case .createDatabase, .dropDatabase, .createTable, .createTableLike, .dropTable,
      .truncateTable, .renameTable, .createIndex, .dropIndex, .alterTable, .analyzeTable:
      // DDL commits the open transaction first (MySQL's implicit commit).
      try await commitOpen()
      return try await runDDL(statement)
    case .kill, .admin:
      throw SQLError.unsupported(statement.description)
    default:
      return try await inTransaction { context in try await self.runInContext(statement, context) }
    }
  }

  /// Statements that read or write tables.
  private func runInContext(
    _ statement: Statement, _ context: ExecutionContext
  ) async throws -> StatementResult {
    switch statement {
    case .select(let query): return try await runQuery(query, context)
    case .insert(let insert): return try await runInsert(insert, context)
    case .update(let update): return try await runUpdate(update, context)
    case .delete(let delete): return try await runDelete(delete, context)
    case .show(let show): return try await runShow(show, in: context)
    case .explain(let explain): return try await runExplain(explain, context)
    case .do(let expressions):
      for expression in expressions {
        _ = try await ExpressionCompiler(
          schema: PlanSchema(columns: []), session: context, clause: "field list"
        ).compile(expression)
      }
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    default:
      throw SQLError.unsupported(statement.description)
    }
  }
}
