import SQLParser

/// `CREATE TABLE`'s definition as the `TableInfo` the catalog keeps: columns with ids 1...n
/// in order, the keys (column clauses first, in column order, then the table's, as MySQL
/// reads them), the handle, defaults and options.
///
/// A primary key of one integer column is the rows' handle (`pkIsHandle`, no index); any
/// other primary key is a unique index named `PRIMARY` (`primary: true`). Primary key columns
/// and AUTO_INCREMENT columns are NOT NULL.
struct TableDefinition {
  let columns: ColumnBuilder

  /// The table `statement` defines, with id `id`.
  /// - Throws: 1113 without columns, 1103/1059 for a bad name, 1060 for a column named
  ///   twice, 1068 for two primary keys, 1171 for a NULL primary key column, 1075 for two
  ///   AUTO_INCREMENT columns or one that no key starts with, the columns' and indexes' errors.
  func table(
    _ statement: CreateTableStatement, id: Int64, warnings: inout [SQLWarning]
  ) async throws -> TableInfo {
    guard !statement.columns.isEmpty else { throw SQLError.tableWithoutColumns }
    try Identifier.check(statement.table.name, invalid: SQLError.incorrectTableName)
    var table = TableInfo(
      id: id, name: statement.table.name, columns: [], indices: [], pkIsHandle: false,
      maxColumnID: 0, maxIndexID: 0)
    for definition in statement.columns {
      if table.column(named: definition.name) != nil {
        throw SQLError.duplicateColumn(definition.name)
      }
      table.maxColumnID += 1
      table.columns.append(
        try columns.column(
          definition, id: table.maxColumnID, offset: table.columns.count, warnings: &warnings))
    }
    if table.columns.filter(\.autoIncrement).count > 1 { throw SQLError.wrongAutoColumn }
    let nullable = Set(
      statement.columns.filter(ColumnBuilder.isExplicitlyNull).map { $0.name.lowercased() })
    for key in Self.columnKeys(statement.columns) + statement.indexes {
      try Self.add(key, to: &table, nullable: nullable)
    }
    for (offset, definition) in statement.columns.enumerated() {
      table.columns[offset].defaultValue = try await columns.defaultValue(
        definition.defaultValue, for: table.columns[offset])
    }
    if let auto = table.autoIncrementColumn, !table.isKeyStart(auto) {
      throw SQLError.wrongAutoColumn
    }
    table.apply(statement.options)
    return table
  }

  /// The keys declared in column definitions (`id INT PRIMARY KEY`, `c INT UNIQUE`).
  private static func columnKeys(_ definitions: [ColumnDefinition]) -> [IndexDefinition] {
    definitions.flatMap { column in
      var keys: [IndexDefinition] = []
      if column.isPrimaryKey {
        keys.append(IndexDefinition(kind: .primaryKey, columns: [.init(name: column.name)]))
      }
      if column.isUnique {
        keys.append(IndexDefinition(kind: .unique, columns: [.init(name: column.name)]))
      }
      return keys
    }
  }

  /// Adds key `definition` to `table`: a primary key makes its columns NOT NULL (1171 for one
  /// declared NULL, named in `nullable`, lower-cased) and is the handle when it is one integer
  /// column; every other key is a public index.
  private static func add(
    _ definition: IndexDefinition, to table: inout TableInfo, nullable: Set<String>
  ) throws(SQLError) {
    if definition.kind == .primaryKey {
      if table.hasPrimaryKey { throw SQLError.multiplePrimaryKeys }
      for part in definition.columns {
        guard let column = table.column(named: part.name) else {
          throw SQLError.keyColumnMissing(part.name)
        }
        if nullable.contains(column.name.lowercased()) { throw SQLError.primaryKeyColumnNull }
        table.columns[column.offset].type.notNull = true
      }
      if definition.columns.count == 1,
        let column = table.column(named: definition.columns[0].name),
        column.type.kind == .int
      {
        table.pkIsHandle = true
        table.handleColumnID = column.id
        return
      }
    }
    table.maxIndexID += 1
    table.indices.append(
      try IndexBuilder.index(definition, on: table, id: table.maxIndexID, state: .public))
  }
}

extension TableInfo {
  /// Applies table options: `AUTO_INCREMENT = n` (the counter's start), `COMMENT`. The engine,
  /// character set, collation and row format are accepted and ignored (every table is
  /// utf8mb4 with a binary collation, in this store).
  mutating func apply(_ options: [TableOption]) {
    for option in options {
      switch option {
      case .autoIncrement(let value): autoIncrementBase = Int64(clamping: max(value, 1))
      case .comment(let text): comment = text
      case .engine, .charset, .collate, .rowFormat: break
      }
    }
  }

  /// Whether a key starts with `column`: it is the handle, or the first column of an index.
  func isKeyStart(_ column: ColumnInfo) -> Bool {
    (pkIsHandle && column.id == handleColumnID)
      || indices.contains { $0.columns.first?.name == column.name }
  }
}
