import SQLParser

/// `DROP TABLE` and `TRUNCATE TABLE`: the catalog changes first, the data goes after.
extension DDLRunner {
  /// DROP TABLE t1, t2: the tables leave the catalog in one step, all or none (MySQL 8's
  /// atomic DROP TABLE), then their rows and index entries are deleted.
  /// - Throws: 1046; 1051 naming every table that does not exist (`db.t1,db.t2`), dropping
  ///   none. Under IF EXISTS the others are dropped and each missing one is a note.
  func dropTables(_ statement: DropTableStatement) async throws {
    let names = try statement.tables.map { name throws(SQLError) in
      (database: try databaseName(name.schema), table: name.name)
    }
    let (dropped, missing) = try await catalog.run { meta, schema in
      var dropped: [TableInfo] = []
      var missing: [String] = []
      for name in names {
        if let database = schema.database(name.database),
          let table = database.tables[name.table.lowercased()],
          !dropped.contains(where: { $0.id == table.id })
        {
          meta.deleteTable(table.id, in: database.info.id)
          dropped.append(table)
        } else {
          missing.append("\(name.database).\(name.table)")
        }
      }
      if !missing.isEmpty && !statement.ifExists {
        throw SQLError.unknownTable(missing.joined(separator: ","))
      }
      return (dropped, missing)
    }
    warnings += missing.map { SQLError.unknownTable($0).note }
    for table in dropped { try await domain.deleteData(ofTable: table.id) }
  }

  /// TRUNCATE TABLE: the table gets a fresh id (so its data is empty at once, and a
  /// transaction still writing the old id fails with 8028), its AUTO_INCREMENT counter starts
  /// again from 1, and the old id's rows and index entries are deleted.
  /// - Throws: 1046, 1049, 1146.
  func truncate(_ name: TableName) async throws {
    let database = try databaseName(name.schema)
    let old = try await catalog.run { meta, schema in
      let (found, table) = try schema.existingTable(database, name.name)
      var fresh = table
      fresh.id = try await meta.allocateID()
      fresh.indices = table.indices.filter { $0.state == .public }
      fresh.autoIncrementBase = 1
      fresh.revision = table.revision + 1
      meta.deleteTable(table.id, in: found.info.id)
      try meta.put(fresh, in: found.info.id)
      return table
    }
    try await domain.deleteData(ofTable: old.id)
  }
}
