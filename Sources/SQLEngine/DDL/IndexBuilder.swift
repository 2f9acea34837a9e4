import SQLParser

/// Indexes of `CREATE TABLE`, `CREATE INDEX` and `ALTER TABLE ... ADD`: their columns checked
/// against the table, named as MySQL names them.
enum IndexBuilder {
  /// The index `definition` declares on `table`, with id `id`, in state `state`. A primary
  /// key is named `PRIMARY`; an index without a name takes its first column's, made unique
  /// with `_2`, `_3`, ... (MySQL's rule). A prefix length (`c(10)`) of a plain index is
  /// accepted and the whole value indexed (the same rows are found); a unique one is refused.
  /// - Throws: 1068 for a second primary key, 1072 for a column the table lacks, 1060 for a
  ///   column named twice, 1280 for another index named PRIMARY, 1061 for a name taken, 1235
  ///   for a prefix length in a unique index.
  static func index(
    _ definition: IndexDefinition, on table: TableInfo, id: Int64, state: SchemaState
  ) throws(SQLError) -> IndexInfo {
    let primary = definition.kind == .primaryKey
    if primary && table.hasPrimaryKey { throw SQLError.multiplePrimaryKeys }
    var columns: [IndexColumn] = []
    for part in definition.columns {
      guard let column = table.column(named: part.name) else {
        throw SQLError.keyColumnMissing(part.name)
      }
      if columns.contains(where: { $0.name == column.name }) {
        throw SQLError.duplicateColumn(column.name)
      }
      if part.length != nil && definition.kind != .index {
        throw SQLError.unsupported("prefix lengths in a UNIQUE or PRIMARY KEY")
      }
      columns.append(IndexColumn(name: column.name, offset: column.offset))
    }
    let name: String
    if primary {
      name = "PRIMARY"
    } else if let given = definition.name {
      if given.lowercased() == "primary" { throw SQLError.incorrectIndexName(given) }
      try Identifier.check(given, invalid: SQLError.incorrectIndexName)
      if table.index(named: given) != nil { throw SQLError.duplicateKeyName(given) }
      name = given
    } else {
      name = uniqueName(columns[0].name, in: table)
    }
    return IndexInfo(
      id: id, name: name, columns: columns, unique: definition.kind != .index, primary: primary,
      state: state)
  }

  /// `base`, or the first of `base_2`, `base_3`, ... that no index of `table` has.
  private static func uniqueName(_ base: String, in table: TableInfo) -> String {
    func free(_ name: String) -> Bool {
      name.lowercased() != "primary" && table.index(named: name) == nil
    }
    if free(base) { return base }
    var suffix = 2
    while !free("\(base)_\(suffix)") { suffix += 1 }
    return "\(base)_\(suffix)"
  }
}

extension TableInfo {
  /// Whether the table has a primary key: its handle, or an index (in any state).
  var hasPrimaryKey: Bool { pkIsHandle || indices.contains { $0.primary } }

  /// The primary key's index, public or not (nil when the key is the handle, or none).
  var primaryIndex: IndexInfo? { indices.first { $0.primary } }
}
