import Coprocessor
import SQLParser

extension Session {
  /// SHOW statements, DESC t (Sources/SQLEngine/DDL/Show*.swift). `context` is the
  /// statement's (its catalog snapshot, and where `WHERE` compiles); nil for SHOW WARNINGS and
  /// SHOW ERRORS, which must not reset the warnings they show.
  func runShow(_ show: ShowStatement, in context: ExecutionContext?) async throws -> StatementResult
  {
    let result: ShowResult
    switch show.kind {
    case .warnings(let limit), .errors(let limit):
      let errorsOnly = if case .errors = show.kind { true } else { false }
      let (offset, count) = try bounds(limit)
      result = ShowServer.warnings(warnings, errorsOnly: errorsOnly, offset: offset, limit: count)
    case .variables:
      result = ShowServer.variables(variables.all)
    case .status:
      result = ShowServer.status()
    case .engines:
      result = ShowServer.engines()
    case .charset:
      result = ShowServer.charsets()
    case .collation:
      result = ShowServer.collations()
    case .processList:
      result = ShowServer.processList(
        id: connectionID, user: user, database: currentDatabase, statement: show.description)
    default:
      guard let context else { throw SQLError.unsupported(show.description) }
      result = try await showCatalog(show.kind, context)
    }
    return try await result.filtered(by: show.filter, in: context).result
  }

  /// The SHOW statements that read the catalog (in the statement's snapshot).
  private func showCatalog(
    _ kind: ShowKind, _ context: ExecutionContext
  ) async throws -> ShowResult {
    func database(_ name: String?) throws(SQLError) -> InfoSchema.Database {
      guard let name = name ?? currentDatabase else { throw SQLError.noDatabaseSelected }
      return try context.schema.existingDatabase(name)
    }
    switch kind {
    case .databases:
      return ShowCatalog.databases(context.schema)
    case .tables(let full, let name):
      return ShowCatalog.tables(try database(name), full: full)
    case .tableStatus(let name):
      return try await ShowCatalog.tableStatus(try database(name), txn: context.txn)
    case .columns(let name, let full):
      return ShowCatalog.columns(try context.table(name).table, full: full)
    case .indexes(let name):
      return ShowCatalog.indexes(try context.table(name).table)
    case .createTable(let name):
      return try await ShowCatalog.createTable(try context.table(name).table, txn: context.txn)
    case .createDatabase(let name, let ifNotExists):
      return ShowCatalog.createDatabase(try database(name).info, ifNotExists: ifNotExists)
    default:
      throw SQLError.unsupported(kind.description)
    }
  }

  /// The offset and count of `SHOW WARNINGS LIMIT [offset,] count`.
  private func bounds(_ limit: LimitClause?) throws(SQLError) -> (offset: Int, count: Int) {
    func value(_ value: LimitValue) throws(SQLError) -> Int {
      switch value {
      case .literal(let number): return Int(clamping: number)
      case .parameter(let index):
        guard index < parameters.count, case .int(let number) = parameters[index], number >= 0
        else {
          throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to LIMIT")
        }
        return Int(number)
      }
    }
    guard let limit else { return (0, .max) }
    return (try limit.offset.map(value) ?? 0, try value(limit.count))
  }
}
