import SQLParser

/// `CREATE DATABASE` and `DROP DATABASE`.
extension DDLRunner {
  /// CREATE DATABASE: a new database with a fresh id. Its character set and collation options
  /// are accepted and ignored: every database here is utf8mb4 with `utf8mb4_bin`.
  /// - Throws: 1007 if it exists (a note instead under IF NOT EXISTS), 1102/1059 for a bad
  ///   name.
  func createDatabase(_ statement: CreateDatabaseStatement) async throws {
    try Identifier.check(statement.name, invalid: SQLError.incorrectDatabaseName)
    let exists = SQLError.databaseExists(statement.name)
    let created = try await catalog.run { meta, schema in
      if schema.database(statement.name) != nil {
        guard statement.ifNotExists else { throw exists }
        return false
      }
      try meta.put(DatabaseInfo(id: try await meta.allocateID(), name: statement.name))
      return true
    }
    if !created { warnings.append(exists.note) }
  }

  /// DROP DATABASE: the database and its tables leave the catalog in one step, then the
  /// tables' rows and index entries are deleted.
  /// - Returns: how many tables it had (MySQL's affected rows); nil if there was no such
  ///   database (under IF EXISTS, with a note).
  /// - Throws: 1008 for a database that does not exist.
  func dropDatabase(_ statement: DropDatabaseStatement) async throws -> Int? {
    let missing = SQLError.databaseMissing(statement.name)
    let tables = try await catalog.run { meta, schema -> [TableInfo]? in
      guard let database = schema.database(statement.name) else {
        guard statement.ifExists else { throw missing }
        return nil
      }
      for table in database.tables.values { meta.deleteTable(table.id, in: database.info.id) }
      meta.deleteDatabase(database.info.id)
      return Array(database.tables.values)
    }
    guard let tables else {
      warnings.append(missing.note)
      return nil
    }
    for table in tables { try await domain.deleteData(ofTable: table.id) }
    return tables.count
  }
}
