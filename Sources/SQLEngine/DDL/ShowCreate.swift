import Foundation

/// The text of `SHOW CREATE TABLE` and `SHOW CREATE DATABASE`, as MySQL 8 writes it:
/// backquoted names, one column or key a line, the primary key first, then the other keys in
/// the order they were added (TiDB's order), `ENGINE=InnoDB ... COLLATE=utf8mb4_bin`.
enum ShowCreate {
  /// `CREATE TABLE` for the public columns and indexes of `table`; `AUTO_INCREMENT=n` when
  /// `autoIncrement` (the counter's next value) is above 1.
  static func table(_ table: TableInfo, autoIncrement: Int64?) -> String {
    var lines = table.publicColumns.map(column)
    if let handle = table.handleColumn {
      lines.append("  PRIMARY KEY (\(identifier(handle.name)))")
    }
    let indexes = table.indices.filter { $0.state == .public }
    for index in indexes.filter(\.primary) + indexes.filter({ !$0.primary }) {
      let columns = index.columns.map { identifier($0.name) }.joined(separator: ",")
      let kind =
        index.primary
        ? "PRIMARY KEY" : (index.unique ? "UNIQUE KEY " : "KEY ") + identifier(index.name)
      lines.append("  \(kind) (\(columns))")
    }
    var text =
      "CREATE TABLE \(identifier(table.name)) (\n" + lines.joined(separator: ",\n")
      + "\n) ENGINE=InnoDB"
    if let autoIncrement, autoIncrement > 1 { text += " AUTO_INCREMENT=\(autoIncrement)" }
    text += " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"
    if !table.comment.isEmpty { text += " COMMENT=" + string(Array(table.comment.utf8)) }
    return text
  }

  /// A column's line: `` `c` int NOT NULL AUTO_INCREMENT ``, `` `d` varchar(20) DEFAULT 'x' ``
  /// (a nullable column without a default says `DEFAULT NULL`, except TEXT and BLOB).
  private static func column(_ column: ColumnInfo) -> String {
    var line = "  \(identifier(column.name)) \(column.type.sqlName)"
    if column.type.notNull { line += " NOT NULL" }
    if column.autoIncrement {
      line += " AUTO_INCREMENT"
    } else if let value = column.defaultValue {
      line += " DEFAULT " + defaultText(value)
    } else if !column.type.notNull && !ColumnBuilder.isBlob(column.type) {
      line += " DEFAULT NULL"
    }
    if !column.comment.isEmpty { line += " COMMENT " + string(Array(column.comment.utf8)) }
    return line
  }

  /// `CREATE DATABASE` for `database`.
  static func database(_ database: DatabaseInfo, ifNotExists: Bool) -> String {
    "CREATE DATABASE " + (ifNotExists ? "/*!32312 IF NOT EXISTS*/ " : "")
      + identifier(database.name)
      + " /*!40100 DEFAULT CHARACTER SET \(database.charset) COLLATE \(database.collation) */"
  }

  /// A default as MySQL writes it: quoted, numbers too (`DEFAULT '5'`).
  static func defaultText(_ value: StoredValue) -> String {
    switch value {
    case .null: "NULL"
    case .currentTimestamp: "CURRENT_TIMESTAMP"
    case .bytes(let bytes): string(bytes)
    default: string(Array(DatumText.text(value.datum).utf8))
    }
  }

  /// `name` in backquotes, a backquote inside doubled.
  static func identifier(_ name: String) -> String {
    "`" + name.replacingOccurrences(of: "`", with: "``") + "`"
  }

  /// `bytes` as a string literal (`'it''s'`, backslashes doubled), or `0x...` when they are
  /// not UTF-8.
  static func string(_ bytes: [UInt8]) -> String {
    guard let text = String(validating: bytes, as: UTF8.self) else {
      return "0x" + bytes.map { String(format: "%02X", $0) }.joined()
    }
    return "'"
      + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "'", with: "''")
      + "'"
  }
}
