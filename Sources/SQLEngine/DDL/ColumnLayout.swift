import SQLParser

/// Where a table's columns stand: rows are in the order of `columns` (a column's `offset` is
/// its place), and index columns refer to theirs by name and offset. Rows are stored by column
/// id, so moving a column changes no stored row.
extension TableInfo {
  /// Puts `column` at `position` (nil: last) among the columns.
  /// - Throws: 1054 for `AFTER` a column the table lacks.
  mutating func place(_ column: ColumnInfo, at position: ColumnPosition?) throws(SQLError) {
    let place: Int
    switch position {
    case nil: place = columns.count
    case .first?: place = 0
    case .after(let name)?:
      guard let after = self.column(named: name), after.id != column.id else {
        throw SQLError.unknownColumn(name, in: self.name)
      }
      place = columns.firstIndex { $0.id == after.id }! + 1
    }
    columns.insert(column, at: place)
    renumber()
  }

  /// Moves column `column` (one of the table's) to `position`.
  /// - Throws: 1054 for `AFTER` a column the table lacks.
  mutating func move(_ column: ColumnInfo, to position: ColumnPosition) throws(SQLError) {
    let saved = self
    columns.removeAll { $0.id == column.id }
    do {
      try place(column, at: position)
    } catch {
      self = saved
      throw error
    }
  }

  /// Sets every column's offset to its place, and every index column's offset to its
  /// column's (found by name).
  mutating func renumber() {
    for offset in columns.indices { columns[offset].offset = offset }
    let offsets = Dictionary(
      columns.map { ($0.name.lowercased(), $0.offset) }, uniquingKeysWith: { first, _ in first })
    for i in indices.indices {
      for j in indices[i].columns.indices {
        indices[i].columns[j].offset = offsets[indices[i].columns[j].name.lowercased()]!
      }
    }
  }

  /// Renames column `old` to `new` in the columns and the indexes.
  mutating func renameColumn(_ old: ColumnInfo, to new: String) {
    columns[old.offset].name = new
    for i in indices.indices {
      for j in indices[i].columns.indices where indices[i].columns[j].name == old.name {
        indices[i].columns[j].name = new
      }
    }
  }

  /// Whether `column` is part of the primary key (the handle, or a column of the primary
  /// index).
  func isPrimaryKeyColumn(_ column: ColumnInfo) -> Bool {
    (pkIsHandle && column.id == handleColumnID)
      || indices.contains { $0.primary && $0.columns.contains { $0.name == column.name } }
  }
}
