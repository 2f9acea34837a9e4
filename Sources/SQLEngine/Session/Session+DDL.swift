import SQLParser

extension Session {
  /// DDL statements (the open transaction committed before, by `run`): each to its
  /// `DDLRunner` method (Sources/SQLEngine/DDL). Their notes and warnings (`IF [NOT] EXISTS`,
  /// DECIMAL stored as DOUBLE) are the statement's warnings.
  func runDDL(_ statement: Statement) async throws -> StatementResult {
    let ddl = try await DDLRunner(session: self)
    defer { warnings = ddl.warnings }
    var affected = 0
    switch statement {
    case .createDatabase(let create):
      try await ddl.createDatabase(create)
      affected = 1
    case .dropDatabase(let drop):
      guard let tables = try await ddl.dropDatabase(drop) else { break }
      affected = tables
      if currentDatabase?.lowercased() == drop.name.lowercased() { currentDatabase = nil }
    case .createTable(let create): try await ddl.createTable(create)
    case .createTableLike(let create): try await ddl.createTableLike(create)
    case .dropTable(let drop): try await ddl.dropTables(drop)
    case .truncateTable(let table): try await ddl.truncate(table)
    case .renameTable(let rename): try await ddl.renameTables(rename.renames)
    case .createIndex(let create): try await ddl.addIndex(create.index, to: create.table)
    case .dropIndex(let drop): try await ddl.dropIndex(drop.name, on: drop.table)
    case .alterTable(let alter): try await ddl.alterTable(alter)
    case .analyzeTable(let tables): return try await ddl.analyze(tables)
    default: throw SQLError.unsupported(statement.description)
    }
    return .ok(affectedRows: UInt64(affected), lastInsertID: 0, info: "")
  }
}
