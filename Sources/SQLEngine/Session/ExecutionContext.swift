import Coprocessor
import SQLParser

/// What one statement runs with: its session, its view of the transaction, the catalog at the
/// transaction's snapshot, and what it wrote and warned about.
final class ExecutionContext: CompileSession {
  unowned let session: Session
  let writes: StatementWrites
  let schema: InfoSchema
  /// Tables written, with the revision of their definition used.
  var written: [Int64: Int64] = [:]
  var warnings: [SQLWarning] = []

  init(session: Session, txn: any KVTransaction) async throws {
    self.session = session
    writes = StatementWrites(txn)
    schema = try await session.domain.infoSchema(for: txn)
  }

  var domain: Domain { session.domain }
  var txn: any KVTransaction { writes }

  /// The table `name` names, and its database's name.
  /// - Throws: 1046 without a database, 1049 for an unknown one, 1146 for an unknown table.
  func table(_ name: TableName) throws(SQLError) -> (database: String, table: TableInfo) {
    guard let database = name.schema ?? session.currentDatabase else {
      throw SQLError.noDatabaseSelected
    }
    guard let db = schema.database(database) else {
      // MySQL names the table, not the database, when a qualified name's database is missing.
      if name.schema != nil { throw SQLError.noSuchTable(database, name.name) }
      throw SQLError.unknownDatabase(database)
    }
    guard let table = db.tables[name.name.lowercased()] else {
      throw SQLError.noSuchTable(db.info.name, name.name)
    }
    return (db.info.name, table)
  }

  /// Records a write to `table`.
  func wrote(_ table: TableInfo) { written[table.id] = table.revision }

  // MARK: CompileSession

  var currentDatabase: String? { session.currentDatabase }
  func systemVariable(_ name: String) -> String? { session.variables.value(name) }
  func userVariable(_ name: String) -> Datum { session.userVariables[name.lowercased()] ?? .null }
  func parameter(_ index: Int) throws(SQLError) -> Datum {
    guard index < session.parameters.count else {
      throw SQLError(
        code: 1210, sqlState: "HY000", message: "Incorrect arguments to EXECUTE")
    }
    return session.parameters[index]
  }
  var lastInsertID: UInt64 { session.lastInsertID }
  var connectionID: UInt32 { session.connectionID }
  var user: String { session.user }

  func runSubquery(_ query: Query, outer: [CompileScope]) async throws -> (rows: [Row], width: Int)
  {
    let plan = try await QueryPlanner(context: self).plan(query, outer: outer)
    return (try await plan.executor.drain(), plan.schema.columns.count)
  }
}
