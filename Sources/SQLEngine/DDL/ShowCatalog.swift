import Coprocessor
import Foundation

/// The `SHOW` statements about the catalog: databases, tables, columns, indexes, table status
/// and definitions, with MySQL's column names. Only public columns and indexes are shown.
enum ShowCatalog {
  /// SHOW DATABASES: the databases of the catalog (not `information_schema`, which this
  /// server does not keep as a database).
  static func databases(_ schema: InfoSchema) -> ShowResult {
    ShowResult(text: ["Database"], rows: schema.allDatabases.map { [$0.info.name] })
  }

  /// SHOW [FULL] TABLES: `Tables_in_<db>` [and `Table_type`, always `BASE TABLE`].
  static func tables(_ database: InfoSchema.Database, full: Bool) -> ShowResult {
    let names = database.tables.values.map(\.name).sorted()
    return ShowResult(
      text: ["Tables_in_\(database.info.name)"] + (full ? ["Table_type"] : []),
      rows: names.map { [$0] + (full ? ["BASE TABLE"] : []) })
  }

  /// SHOW TABLE STATUS: MySQL's 18 columns; no statistics are kept, so the sizes and times
  /// are NULL.
  static func tableStatus(
    _ database: InfoSchema.Database, txn: any KVTransaction
  ) async throws -> ShowResult {
    let names: [(String, Bool)] = [
      ("Name", false), ("Engine", false), ("Version", true), ("Row_format", false),
      ("Rows", true), ("Avg_row_length", true), ("Data_length", true),
      ("Max_data_length", true), ("Index_length", true), ("Data_free", true),
      ("Auto_increment", true), ("Create_time", false), ("Update_time", false),
      ("Check_time", false), ("Collation", false), ("Checksum", true),
      ("Create_options", false), ("Comment", false),
    ]
    var rows: [[Datum]] = []
    for table in database.tables.values.sorted(by: { $0.name < $1.name }) {
      let next = try await nextAutoIncrement(table, txn: txn)
      rows.append(
        [
          ShowResult.text(table.name), ShowResult.text("InnoDB"), .int(10),
          ShowResult.text("Dynamic"),
        ]
          + [Datum](repeating: .null, count: 6) + [next.map { .int($0) } ?? .null]
          + [.null, .null, .null, ShowResult.text(database.info.collation), .null]
          + [ShowResult.text(""), ShowResult.text(table.comment)])
    }
    return ShowResult(
      columns: names.map { ShowResult.Column(name: $0.0, numeric: $0.1) }, rows: rows)
  }

  /// SHOW [FULL] COLUMNS / DESC: `Field`, `Type`, [`Collation`,] `Null`, `Key` (PRI, UNI,
  /// MUL), `Default`, `Extra` [, `Privileges`, `Comment`].
  static func columns(_ table: TableInfo, full: Bool) -> ShowResult {
    let names =
      full
      ? ["Field", "Type", "Collation", "Null", "Key", "Default", "Extra", "Privileges", "Comment"]
      : ["Field", "Type", "Null", "Key", "Default", "Extra"]
    let rows = table.publicColumns.map { column -> [String?] in
      let null = column.type.notNull ? "NO" : "YES"
      let key = key(of: column, in: table)
      let value = column.defaultValue.map { DatumText.text($0.datum) }
      let extra = column.autoIncrement ? "auto_increment" : ""
      guard full else { return [column.name, column.type.sqlName, null, key, value, extra] }
      return [
        column.name, column.type.sqlName, column.type.isText ? "utf8mb4_bin" : nil, null, key,
        value, extra, "select,insert,update,references", column.comment,
      ]
    }
    return ShowResult(text: names, rows: rows)
  }

  /// What DESC says of `column`'s keys: PRI in the primary key, UNI alone in a unique index,
  /// MUL first in another index.
  private static func key(of column: ColumnInfo, in table: TableInfo) -> String {
    if table.isPrimaryKeyColumn(column) { return "PRI" }
    let indexes = table.indices.filter { $0.state == .public }
    if indexes.contains(where: { $0.unique && $0.columns.map(\.name) == [column.name] }) {
      return "UNI"
    }
    return indexes.contains { $0.columns.first?.name == column.name } ? "MUL" : ""
  }

  /// SHOW INDEX: a row per column of each key (the handle as `PRIMARY`), MySQL 8's 15
  /// columns; no statistics, so `Cardinality` is 0.
  static func indexes(_ table: TableInfo) -> ShowResult {
    let columns: [ShowResult.Column] = [
      .init(name: "Table"), .init(name: "Non_unique", numeric: true), .init(name: "Key_name"),
      .init(name: "Seq_in_index", numeric: true), .init(name: "Column_name"),
      .init(name: "Collation"), .init(name: "Cardinality", numeric: true),
      .init(name: "Sub_part", numeric: true), .init(name: "Packed"), .init(name: "Null"),
      .init(name: "Index_type"), .init(name: "Comment"), .init(name: "Index_comment"),
      .init(name: "Visible"), .init(name: "Expression"),
    ]
    var keys: [(name: String, unique: Bool, columns: [String])] = []
    if let handle = table.handleColumn { keys.append(("PRIMARY", true, [handle.name])) }
    let indexes = table.indices.filter { $0.state == .public }
    for index in indexes.filter(\.primary) + indexes.filter({ !$0.primary }) {
      keys.append((index.name, index.unique, index.columns.map(\.name)))
    }
    var rows: [[Datum]] = []
    for key in keys {
      for (place, name) in key.columns.enumerated() {
        let nullable = table.column(named: name).map { !$0.type.notNull } ?? false
        rows.append(
          [
            ShowResult.text(table.name), .int(key.unique ? 0 : 1), ShowResult.text(key.name),
            .int(Int64(place + 1)), ShowResult.text(name), ShowResult.text("A"), .int(0), .null,
            .null, ShowResult.text(nullable ? "YES" : ""), ShowResult.text("BTREE"),
            ShowResult.text(""), ShowResult.text(""), ShowResult.text("YES"), .null,
          ])
      }
    }
    return ShowResult(columns: columns, rows: rows)
  }

  /// SHOW CREATE TABLE: `Table`, `Create Table`.
  static func createTable(_ table: TableInfo, txn: any KVTransaction) async throws -> ShowResult {
    let text = ShowCreate.table(table, autoIncrement: try await nextAutoIncrement(table, txn: txn))
    return ShowResult(text: ["Table", "Create Table"], rows: [[table.name, text]])
  }

  /// SHOW CREATE DATABASE: `Database`, `Create Database`.
  static func createDatabase(_ database: DatabaseInfo, ifNotExists: Bool) -> ShowResult {
    ShowResult(
      text: ["Database", "Create Database"],
      rows: [[database.name, ShowCreate.database(database, ifNotExists: ifNotExists)]])
  }

  /// The next value the AUTO_INCREMENT counter of `table` hands out, as the store has it;
  /// nil without an AUTO_INCREMENT column. Servers reserve values a batch at a time, so this
  /// is past the values a server holds (as TiDB shows it).
  static func nextAutoIncrement(_ table: TableInfo, txn: any KVTransaction) async throws -> Int64? {
    guard table.autoIncrementColumn != nil else { return nil }
    let stored = try await txn.get(Meta.autoIDKey(table.id))
    let last = stored.map { $0.reduce(Int64(0)) { $0 << 8 | Int64($1) } } ?? 0
    return max(last + 1, table.autoIncrementBase)
  }
}
