/// Where a schema object stands in an online change (F1's states, as TinySQL teaches them):
/// a new index goes `deleteOnly` → `writeOnly` → `writeReorganization` (backfilled) →
/// `public`; a dropped one goes back the same way. Statements read only `public` objects;
/// writes maintain an index from `deleteOnly` (deletes) and `writeOnly` (all writes) on.
public enum SchemaState: String, Codable, Sendable {
  case deleteOnly, writeOnly, writeReorganization, deleteReorganization, `public`
}

/// A database (a schema): a name for a set of tables.
public struct DatabaseInfo: Codable, Sendable, Equatable {
  public var id: Int64
  public var name: String
  public var charset = "utf8mb4"
  public var collation = "utf8mb4_bin"
}

/// One column of a table.
public struct ColumnInfo: Codable, Sendable, Equatable {
  /// Unique within the table, never reused: rows store values under it.
  public var id: Int64
  public var name: String
  /// The column's place in the table's rows.
  public var offset: Int
  public var type: FieldType
  /// The `DEFAULT` clause's value; nil when the column has none.
  public var defaultValue: StoredValue?
  /// What rows written before the column was added hold (its default at that time).
  public var originalDefault: StoredValue?
  public var autoIncrement = false
  public var comment = ""
  public var state = SchemaState.public
}

/// One column of an index, by its place in the table.
public struct IndexColumn: Codable, Sendable, Equatable {
  public var name: String
  public var offset: Int
}

/// A secondary index (or the primary key of a table whose key is not its handle).
public struct IndexInfo: Codable, Sendable, Equatable {
  /// Unique within the table, never reused: entries are keyed by it.
  public var id: Int64
  public var name: String
  public var columns: [IndexColumn]
  public var unique: Bool
  public var primary: Bool
  public var state = SchemaState.public
}

/// A table: its columns, indexes, and how its rows are keyed.
public struct TableInfo: Codable, Sendable, Equatable {
  public var id: Int64
  public var name: String
  public var columns: [ColumnInfo]
  public var indices: [IndexInfo]
  /// The single integer primary key column is the row's handle (not stored in the row).
  public var pkIsHandle: Bool
  /// `AUTO_INCREMENT=n`: the first value the counter hands out.
  public var autoIncrementBase: Int64 = 1
  public var comment = ""
  public var maxColumnID: Int64
  public var maxIndexID: Int64
  /// Bumped by every change of this table's definition: a transaction that wrote under an
  /// older revision must not commit (`SQLError.schemaChanged`).
  public var revision: Int64 = 0

  /// The columns statements see (public), in order.
  public var publicColumns: [ColumnInfo] { columns.filter { $0.state == .public } }

  /// The column that is the handle, if the table has an integer primary key.
  public var handleColumn: ColumnInfo? {
    pkIsHandle ? columns.first { $0.id == handleColumnID } : nil
  }

  /// The id of the handle column (`pkIsHandle`), kept in the table.
  public var handleColumnID: Int64 = 0

  /// The column named `name` (case-insensitive), public ones only.
  public func column(named name: String) -> ColumnInfo? {
    let lower = name.lowercased()
    return columns.first { $0.state == .public && $0.name.lowercased() == lower }
  }

  /// The index named `name` (case-insensitive).
  public func index(named name: String) -> IndexInfo? {
    let lower = name.lowercased()
    return indices.first { $0.name.lowercased() == lower }
  }

  /// The auto-increment column, if any.
  public var autoIncrementColumn: ColumnInfo? { columns.first { $0.autoIncrement } }
}
