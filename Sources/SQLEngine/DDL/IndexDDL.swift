import SQLParser

/// `CREATE INDEX`, `DROP INDEX` and `ALTER TABLE`'s index changes.
extension DDLRunner {
  /// CREATE INDEX, ALTER TABLE ADD INDEX|UNIQUE|PRIMARY KEY: the index is added in state
  /// `deleteOnly` (a primary key's columns made NOT NULL in the same step, so no NULL comes in
  /// while it is built), then built online (`OnlineIndex.build`). A primary key added to a
  /// table is a unique index named PRIMARY (the rows keep their handles).
  /// - Throws: the definition's errors (1061, 1068, 1072, ...); 1062 for a unique index over
  ///   duplicates, 1138 for a primary key over NULLs — the index is then gone again.
  func addIndex(_ definition: IndexDefinition, to name: TableName) async throws {
    let (old, new) = try await changeTable(name) { table in
      let index = try IndexBuilder.index(
        definition, on: table, id: table.maxIndexID + 1, state: .deleteOnly)
      table.maxIndexID = index.id
      if index.primary {
        for column in index.columns { table.columns[column.offset].type.notNull = true }
      }
      table.indices.append(index)
    }
    let nullable = Set(old.columns.filter { !$0.type.notNull }.map(\.id))
    let madeNotNull = nullable.intersection(new.columns.filter(\.type.notNull).map(\.id))
    try await OnlineIndex(domain: domain, tableID: new.id, indexID: new.maxIndexID)
      .build(madeNotNull: madeNotNull)
  }

  /// DROP INDEX name ON t, ALTER TABLE DROP INDEX|KEY name: taken out online
  /// (`OnlineIndex.retire`), from whatever state it is in: an index another statement is
  /// adding makes that statement fail (8214), and one a failed statement left behind goes.
  /// `PRIMARY` names the primary key.
  /// - Throws: 1091 for an index the table does not have, 1075 for the only key the
  ///   AUTO_INCREMENT column starts.
  func dropIndex(_ name: String, on tableName: TableName) async throws {
    if name.lowercased() == "primary" { return try await dropPrimaryKey(tableName) }
    let table = try await currentTable(tableName)
    guard let index = table.index(named: name) else { throw SQLError.cannotDrop(name) }
    try await retire(index, of: table)
  }

  /// ALTER TABLE DROP PRIMARY KEY: the primary index taken out online; its columns stay
  /// NOT NULL (as in MySQL).
  /// - Throws: 1091 without a primary key, 1235 when the key is the rows' handle (they would
  ///   all need new keys), 1075 as `dropIndex`.
  func dropPrimaryKey(_ tableName: TableName) async throws {
    let table = try await currentTable(tableName)
    if table.pkIsHandle {
      throw SQLError.unsupported("dropping a primary key that is the rows' handle")
    }
    guard let index = table.primaryIndex else { throw SQLError.cannotDrop("PRIMARY") }
    try await retire(index, of: table)
  }

  /// Takes `index` of `table` out, unless it is the only key the AUTO_INCREMENT column starts
  /// (1075).
  private func retire(_ index: IndexInfo, of table: TableInfo) async throws {
    if let auto = table.autoIncrementColumn, index.columns.first?.name == auto.name {
      var rest = table
      rest.indices.removeAll { $0.id == index.id }
      if !rest.isKeyStart(auto) { throw SQLError.wrongAutoColumn }
    }
    try await OnlineIndex(domain: domain, tableID: table.id, indexID: index.id).retire()
  }

  /// ALTER TABLE RENAME INDEX|KEY a TO b.
  /// - Throws: 1176 for an index the table does not have, 1280 to or from PRIMARY, 1061 for
  ///   a name taken, 1059 for a long name.
  func renameIndex(_ old: String, to new: String, in tableName: TableName) async throws {
    try Identifier.check(new, invalid: SQLError.incorrectIndexName)
    try await changeTable(tableName) { table in
      guard
        let offset = table.indices.firstIndex(where: {
          $0.name.lowercased() == old.lowercased() && $0.state == .public
        })
      else { throw SQLError.keyMissing(old, table: table.name) }
      if table.indices[offset].primary { throw SQLError.incorrectIndexName(old) }
      if new.lowercased() == "primary" { throw SQLError.incorrectIndexName(new) }
      if new.lowercased() != old.lowercased(), table.index(named: new) != nil {
        throw SQLError.duplicateKeyName(new)
      }
      table.indices[offset].name = new
    }
  }
}
