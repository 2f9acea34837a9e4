import SQLParser

/// `ALTER TABLE ... DROP COLUMN`, as MySQL does it: the column leaves every index it is in;
/// an index left without columns goes.
extension DDLRunner {
  /// DROP COLUMN c. Each multi-column index with c first gets a replacement without it, of
  /// the same name, built online up to `writeReorganization` (a unique one may fail with 1062
  /// here, changing nothing: the rows differ only in c). One catalog step then removes the
  /// column and every index with it, and publishes the replacements; the removed indexes'
  /// entries are deleted after it. Removing an index in one step is safe there (DROP INDEX
  /// takes three only as TinySQL does) because no commit under the previous revision is left
  /// once the step has waited, and readers read snapshots. Old rows keep the column's value,
  /// never read again.
  /// - Throws: 1091 for an unknown column, 1090 for the last one, 1235 for the handle column
  ///   or a column of an index being added or dropped, 1062 as above.
  func dropColumn(_ name: String, from tableName: TableName) async throws {
    let table = try await currentTable(tableName)
    guard let column = table.column(named: name) else { throw SQLError.cannotDrop(name) }
    try Self.checkDroppable(column, in: table)
    let covering = table.indices.filter { $0.columns.contains { $0.name == column.name } }
    var replacements: [(old: IndexInfo, new: Int64)] = []
    do {
      for index in covering where index.columns.count > 1 {
        replacements.append(
          (index, try await buildReplacement(of: index, without: column, in: tableName)))
      }
      try await changeTable(tableName) { table in
        try Self.removeColumn(
          name, from: &table, covering: Set(covering.map(\.id)), replacing: replacements)
      }
    } catch {
      // The replacements not published (the last step did not commit) go again.
      let current = try? await currentTable(tableName)
      for replacement in replacements
      where current?.indices.contains(where: { $0.id == replacement.new && $0.state != .public })
        ?? true
      {
        await OnlineIndex(domain: domain, tableID: table.id, indexID: replacement.new)
          .abandon(restoringNull: [])
      }
      throw error
    }
    for index in covering {
      let range = TableCodec.indexRange(table.id, index.id)
      try await TableData.delete(from: range.start, to: range.end, in: domain.store)
    }
  }

  /// Adds index `index` without column `column` and builds it up to `writeReorganization`.
  /// - Returns: its id.
  private func buildReplacement(
    of index: IndexInfo, without column: ColumnInfo, in tableName: TableName
  ) async throws -> Int64 {
    let (_, table) = try await changeTable(tableName) { table in
      guard var replacement = table.indices.first(where: { $0.id == index.id }) else {
        throw SQLError.cancelledDDL("index '\(index.name)' was dropped by another statement")
      }
      table.maxIndexID += 1
      replacement.id = table.maxIndexID
      replacement.columns.removeAll { $0.name == column.name }
      replacement.state = .deleteOnly
      table.indices.append(replacement)
    }
    try await OnlineIndex(domain: domain, tableID: table.id, indexID: table.maxIndexID)
      .build(publish: false)
    return table.maxIndexID
  }

  /// The last step of DROP COLUMN: removes column `name` and the indexes with it (those of
  /// `covering`), the replacements of those in `replacements` made public under their names.
  /// - Throws: 8214 if another statement changed the indexes meanwhile; `checkDroppable`'s.
  private static func removeColumn(
    _ name: String, from table: inout TableInfo, covering: Set<Int64>,
    replacing replacements: [(old: IndexInfo, new: Int64)]
  ) throws {
    guard let column = table.column(named: name) else { throw SQLError.cannotDrop(name) }
    try checkDroppable(column, in: table)
    for (old, new) in replacements {
      guard let current = table.indices.first(where: { $0.id == old.id && $0.state == .public }),
        let offset = table.indices.firstIndex(where: {
          $0.id == new && $0.state == .writeReorganization
        })
      else { throw SQLError.cancelledDDL("index '\(old.name)' was changed by another statement") }
      table.indices[offset].name = current.name
      table.indices[offset].state = .public
      table.indices.removeAll { $0.id == old.id }
    }
    let removed = table.indices.filter { $0.columns.contains { $0.name == column.name } }
    if let added = removed.first(where: { index in !covering.contains(index.id) }) {
      throw SQLError.cancelledDDL("index '\(added.name)' was added meanwhile")
    }
    table.indices.removeAll { removed.map(\.id).contains($0.id) }
    table.columns.remove(at: column.offset)
    table.renumber()
  }

  /// Refuses to drop the table's last column, its handle, or a column of an index that is not
  /// public (being added or dropped).
  private static func checkDroppable(_ column: ColumnInfo, in table: TableInfo) throws(SQLError) {
    if table.publicColumns.count == 1 { throw SQLError.cannotDropAllColumns }
    if table.pkIsHandle && column.id == table.handleColumnID {
      throw SQLError.unsupported(
        "dropping the primary key column '\(column.name)' (the rows' handle)")
    }
    let busy = table.indices.first { index in
      index.state != .public && index.columns.contains { $0.name == column.name }
    }
    if let busy {
      throw SQLError.unsupported(
        "dropping column '\(column.name)' of index '\(busy.name)', which is being changed")
    }
  }
}
