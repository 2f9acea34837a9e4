import Coprocessor
import SQLParser

/// `ALTER TABLE`'s column changes. Each is one catalog step (see `DDLRunner`): a transaction
/// planned with the old definition cannot commit after it, so rows written under either
/// definition read correctly under the new one. Changes that would rewrite rows (a narrower or
/// other type, a new key on a column) are refused with 1235.
extension DDLRunner {
  /// ADD COLUMN: new columns with fresh ids, at `position` (each after the one before). Rows
  /// already there read the column's `originalDefault`: its default, or for a NOT NULL
  /// column without one the type's zero value, or NULL.
  /// - Throws: 1060 for a name taken, 1054 for `AFTER` an unknown column, the column's errors,
  ///   1235 for PRIMARY KEY, UNIQUE or AUTO_INCREMENT on a new column (add the column, then
  ///   the index).
  func addColumns(
    _ definitions: [ColumnDefinition], position: ColumnPosition?, to name: TableName
  ) async throws {
    var columns: [ColumnInfo] = []
    for definition in definitions {
      if definition.isPrimaryKey || definition.isUnique || definition.isAutoIncrement {
        throw SQLError.unsupported(
          "ADD COLUMN with PRIMARY KEY, UNIQUE or AUTO_INCREMENT (add the column, then the key)")
      }
      var column = try columnBuilder.column(definition, id: 0, offset: 0, warnings: &warnings)
      column.defaultValue = try await columnBuilder.defaultValue(
        definition.defaultValue, for: column)
      column.originalDefault = ColumnBuilder.originalDefault(of: column)
      columns.append(column)
    }
    try await changeTable(name) { table in
      var position = position
      for var column in columns {
        if table.column(named: column.name) != nil { throw SQLError.duplicateColumn(column.name) }
        table.maxColumnID += 1
        column.id = table.maxColumnID
        try table.place(column, at: position)
        if position != nil { position = .after(column.name) }
      }
    }
  }

  /// MODIFY / CHANGE COLUMN: column `old` takes `definition` (its name too, for CHANGE),
  /// keeping its id, at `position` if given. Only widening types are taken
  /// (`ColumnTypes.isWidening`); the default and comment are the definition's. NOT NULL on a
  /// column that allowed NULL is checked against the rows once no transaction can write a
  /// NULL any more, and taken back (1138) if a row has one.
  /// - Throws: 1054 for an unknown column, 1060 for a new name taken, 1235 for another type
  ///   change, AUTO_INCREMENT added or removed, or PRIMARY KEY / UNIQUE in the definition;
  ///   1138 for NOT NULL over NULLs; the definition's errors.
  func changeColumn(
    _ old: String, to definition: ColumnDefinition, position: ColumnPosition?,
    in tableName: TableName
  ) async throws {
    if definition.isPrimaryKey || definition.isUnique {
      throw SQLError.unsupported("PRIMARY KEY or UNIQUE in MODIFY or CHANGE COLUMN (add an index)")
    }
    let built = try columnBuilder.column(definition, id: 0, offset: 0, warnings: &warnings)
    let (before, after) = try await changeTable(tableName) { table in
      var new = built
      guard let column = table.column(named: old) else {
        throw SQLError.unknownColumn(old, in: table.name)
      }
      if new.name.lowercased() != column.name.lowercased(), table.column(named: new.name) != nil {
        throw SQLError.duplicateColumn(new.name)
      }
      if table.isPrimaryKeyColumn(column) { new.type.notNull = true }
      guard ColumnTypes.isWidening(from: column.type, to: new.type) else {
        throw SQLError.unsupported(
          "changing column '\(column.name)' from \(column.type.sqlName) to \(new.type.sqlName)"
            + " (only a wider type of the same kind)")
      }
      guard new.autoIncrement == column.autoIncrement else {
        throw SQLError.unsupported("adding or removing AUTO_INCREMENT of an existing column")
      }
      new.defaultValue = try await self.columnBuilder.defaultValue(
        definition.defaultValue, for: new)
      new.id = column.id
      new.offset = column.offset
      new.originalDefault = column.originalDefault
      table.renameColumn(column, to: new.name)
      table.columns[column.offset] = new
      if let position { try table.move(new, to: position) }
    }
    let id = before.columns.first { $0.name.lowercased() == old.lowercased() }!.id
    let wasNullable = !before.columns.first { $0.id == id }!.type.notNull
    if wasNullable, let column = after.columns.first(where: { $0.id == id }), column.type.notNull {
      try await requireNoNulls(in: column, of: after)
    }
  }

  /// Checks that no row of `table` holds NULL in `column` (just made NOT NULL); if one does,
  /// makes the column NULL-able again and throws 1138.
  private func requireNoNulls(in column: ColumnInfo, of table: TableInfo) async throws {
    let txn = try await domain.store.begin()
    var found = false
    try await TableData.forEachRow(of: table, in: txn) { _, row in
      if row[column.offset] == .null { found = true }
    }
    guard found else { return }
    _ = try await catalog.run { meta, schema in
      guard let (database, current) = schema.table(id: table.id),
        let offset = current.columns.firstIndex(where: { $0.id == column.id })
      else { return }
      var restored = current
      restored.columns[offset].type.notNull = false
      restored.revision += 1
      try meta.put(restored, in: database.id)
    }
    throw SQLError.invalidUseOfNull
  }

  /// ALTER COLUMN c SET DEFAULT value (`value` nil: DROP DEFAULT).
  /// - Throws: 1054 for an unknown column, 1067/1101 for a default that does not fit.
  func setDefault(_ name: String, _ value: Expr?, in tableName: TableName) async throws {
    try await changeTable(tableName) { table in
      guard let column = table.column(named: name) else {
        throw SQLError.unknownColumn(name, in: table.name)
      }
      table.columns[column.offset].defaultValue = try await self.columnBuilder.defaultValue(
        value, for: column)
    }
  }

  /// RENAME COLUMN a TO b (in the indexes too).
  /// - Throws: 1054 for an unknown column, 1060 for a name taken, 1166/1059 for a bad name.
  func renameColumn(_ old: String, to new: String, in tableName: TableName) async throws {
    try Identifier.check(new, invalid: SQLError.incorrectColumnName)
    try await changeTable(tableName) { table in
      guard let column = table.column(named: old) else {
        throw SQLError.unknownColumn(old, in: table.name)
      }
      if new.lowercased() != column.name.lowercased(), table.column(named: new) != nil {
        throw SQLError.duplicateColumn(new)
      }
      table.renameColumn(column, to: new)
    }
  }
}
