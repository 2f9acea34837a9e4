import SQLParser

/// `CREATE TABLE` and `CREATE TABLE ... LIKE`.
extension DDLRunner {
  /// CREATE TABLE: the definition checked and built (`TableDefinition`), then added to its
  /// database with a fresh table id.
  /// - Throws: 1046, 1049, 1050 if the table exists (a note instead under IF NOT EXISTS, and
  ///   the definition is not looked at), the definition's errors.
  func createTable(_ statement: CreateTableStatement) async throws {
    let database = try databaseName(statement.table.schema)
    let exists = SQLError.tableExists(statement.table.name)
    if statement.ifNotExists, context.schema.table(database, statement.table.name) != nil {
      warnings.append(exists.note)
      return
    }
    let definition = try await TableDefinition(columns: columnBuilder).table(
      statement, id: 0, warnings: &warnings)
    let created = try await catalog.run { meta, schema in
      let found = try schema.existingDatabase(database)
      if found.tables[definition.name.lowercased()] != nil {
        guard statement.ifNotExists else { throw exists }
        return false
      }
      var table = definition
      table.id = try await meta.allocateID()
      try meta.put(table, in: found.info.id)
      return true
    }
    if !created { warnings.append(exists.note) }
  }

  /// CREATE TABLE ... LIKE: a new table with the source's columns, public indexes, handle and
  /// comment, a fresh id and its own AUTO_INCREMENT counter from 1.
  /// - Throws: 1046, 1049, 1146 for the source, 1050 if the table exists (a note under IF
  ///   NOT EXISTS).
  func createTableLike(_ statement: CreateTableLikeStatement) async throws {
    let database = try databaseName(statement.table.schema)
    let sourceDatabase = try databaseName(statement.source.schema)
    try Identifier.check(statement.table.name, invalid: SQLError.incorrectTableName)
    let exists = SQLError.tableExists(statement.table.name)
    let created = try await catalog.run { meta, schema in
      let source = try schema.existingTable(sourceDatabase, statement.source.name).table
      let found = try schema.existingDatabase(database)
      if found.tables[statement.table.name.lowercased()] != nil {
        guard statement.ifNotExists else { throw exists }
        return false
      }
      var table = source
      table.id = try await meta.allocateID()
      table.name = statement.table.name
      table.indices = source.indices.filter { $0.state == .public }
      table.autoIncrementBase = 1
      table.revision = 0
      try meta.put(table, in: found.info.id)
      return true
    }
    if !created { warnings.append(exists.note) }
  }
}
