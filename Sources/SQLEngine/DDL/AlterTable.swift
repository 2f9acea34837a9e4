import SQLParser

/// `ALTER TABLE` and `ANALYZE TABLE`.
extension DDLRunner {
  /// ALTER TABLE t spec, spec, ...: each specification in order, each its own change (see
  /// `DDLRunner`); after `RENAME TO` the later ones apply to the new name.
  func alterTable(_ statement: AlterTableStatement) async throws {
    var table = statement.table
    for spec in statement.specs {
      switch spec {
      case .addColumn(let column, let position):
        try await addColumns([column], position: position, to: table)
      case .addColumns(let columns):
        try await addColumns(columns, position: nil, to: table)
      case .addIndex(let index):
        try await addIndex(index, to: table)
      case .dropColumn(let name):
        try await dropColumn(name, from: table)
      case .dropIndex(let name):
        try await dropIndex(name, on: table)
      case .dropPrimaryKey:
        try await dropPrimaryKey(table)
      case .modifyColumn(let column, let position):
        try await changeColumn(column.name, to: column, position: position, in: table)
      case .changeColumn(let old, let column, let position):
        try await changeColumn(old, to: column, position: position, in: table)
      case .setDefault(let column, let value):
        try await setDefault(column, value, in: table)
      case .dropDefault(let column):
        try await setDefault(column, nil, in: table)
      case .rename(let name):
        try await renameTables([TableRename(from: table, to: name)])
        table = name
      case .renameColumn(let old, let new):
        try await renameColumn(old, to: new, in: table)
      case .renameIndex(let old, let new):
        try await renameIndex(old, to: new, in: table)
      case .options(let options):
        try await alterOptions(options, of: table)
      }
    }
  }

  /// ALTER TABLE t AUTO_INCREMENT = n, COMMENT = '...' (the engine, character set and
  /// collation are accepted and ignored). AUTO_INCREMENT moves the counter so that the next
  /// value is at least n; it never goes back below values handed out (as InnoDB).
  private func alterOptions(_ options: [TableOption], of name: TableName) async throws {
    let (_, table) = try await changeTable(name) { table in table.apply(options) }
    for case .autoIncrement(let value) in options {
      try await domain.autoIDs.rebase(
        table: table, to: Int64(clamping: max(value, 1)) - 1, store: domain.store)
    }
  }

  /// ANALYZE TABLE t1, t2: there are no statistics to collect (the planner uses none); a row
  /// per table as MySQL answers, `status OK`, or an `Error` row for a table that does not
  /// exist.
  func analyze(_ names: [TableName]) async throws -> StatementResult {
    var rows: [[String]] = []
    for name in names {
      let database = try databaseName(name.schema)
      let message =
        context.schema.table(database, name.name) == nil
        ? ["Error", SQLError.noSuchTable(database, name.name).message] : ["status", "OK"]
      rows.append(["\(database).\(name.name)", "analyze"] + message)
    }
    return ShowResult(text: ["Table", "Op", "Msg_type", "Msg_text"], rows: rows).result
  }
}
