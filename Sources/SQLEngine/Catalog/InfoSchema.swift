/// The catalog at one schema version: every database and its tables, found by name (names
/// compare case-insensitively, as TiDB's `lower_case_table_names = 2`). Immutable: a DDL
/// makes a new one.
public struct InfoSchema: Sendable {
  /// A database with its tables.
  public struct Database: Sendable {
    public var info: DatabaseInfo
    public var tables: [String: TableInfo]
  }

  public let version: Int64
  private let databases: [String: Database]

  init(version: Int64, databases: [Database]) {
    self.version = version
    self.databases = Dictionary(
      databases.map { ($0.info.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The database named `name`.
  public func database(_ name: String) -> Database? { databases[name.lowercased()] }

  /// Every database, by name.
  public var allDatabases: [Database] {
    databases.values.sorted { $0.info.name < $1.info.name }
  }

  /// Table `name` of database `schema`.
  public func table(_ schema: String, _ name: String) -> TableInfo? {
    databases[schema.lowercased()]?.tables[name.lowercased()]
  }

  /// The database holding the table with id `id`, and the table.
  public func table(id: Int64) -> (database: DatabaseInfo, table: TableInfo)? {
    for database in databases.values {
      if let table = database.tables.values.first(where: { $0.id == id }) {
        return (database.info, table)
      }
    }
    return nil
  }
}

extension InfoSchema {
  /// The catalog in `txn`'s snapshot.
  static func load(_ txn: any KVTransaction) async throws -> InfoSchema {
    let meta = Meta(txn: txn)
    let version = try await meta.schemaVersion()
    var databases: [Database] = []
    for info in try await meta.databases() {
      let tables = try await meta.tables(in: info.id)
      databases.append(
        Database(
          info: info,
          tables: Dictionary(
            tables.map { ($0.name.lowercased(), $0) }, uniquingKeysWith: { first, _ in first })))
    }
    return InfoSchema(version: version, databases: databases)
  }
}
