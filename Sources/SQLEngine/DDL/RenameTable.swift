import SQLParser

/// `RENAME TABLE` and `ALTER TABLE ... RENAME TO`.
extension DDLRunner {
  /// Renames tables in one catalog step, in order (so `a TO tmp, b TO a, tmp TO b` swaps two
  /// tables); a table may move to another database. Rows and entries stay where they are
  /// (they are keyed by the table's id).
  /// - Throws: 1046, 1146 for a source that does not exist (at that point of the list), 1049
  ///   for a target database that does not exist, 1050 for a target name taken, 1103/1059
  ///   for a bad name.
  func renameTables(_ renames: [TableRename]) async throws {
    let pairs = try renames.map { rename throws(SQLError) in
      try Identifier.check(rename.to.name, invalid: SQLError.incorrectTableName)
      return (
        from: (database: try databaseName(rename.from.schema), table: rename.from.name),
        to: (database: try databaseName(rename.to.schema), table: rename.to.name)
      )
    }
    let renamed = try await catalog.run { meta, schema in
      // Every table where the renames so far put it: id → (database, table).
      var placed: [Int64: (database: DatabaseInfo, table: TableInfo)] = [:]
      for database in schema.allDatabases {
        for table in database.tables.values { placed[table.id] = (database.info, table) }
      }
      func find(_ database: String, _ table: String) -> Int64? {
        placed.first {
          $0.value.database.name.lowercased() == database.lowercased()
            && $0.value.table.name.lowercased() == table.lowercased()
        }?.key
      }
      var changed: [Int64] = []
      for (from, to) in pairs {
        guard let id = find(from.database, from.table) else {
          throw SQLError.noSuchTable(from.database, from.table)
        }
        let target = try schema.existingDatabase(to.database)
        if find(to.database, to.table) != nil { throw SQLError.tableExists(to.table) }
        placed[id]!.database = target.info
        placed[id]!.table.name = to.table
        if !changed.contains(id) { changed.append(id) }
      }
      var tables: [TableInfo] = []
      for id in changed {
        let (original, _) = schema.table(id: id)!
        let database = placed[id]!.database
        var table = placed[id]!.table
        table.revision += 1
        if original.id != database.id { meta.txn.delete(Meta.tableKey(original.id, id)) }
        try meta.put(table, in: database.id)
        tables.append(table)
      }
      return tables
    }
    for table in renamed {
      try await domain.commits.waitForCommits(table: table.id, before: table.revision)
    }
  }
}
