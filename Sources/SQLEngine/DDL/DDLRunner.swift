import SQLParser

/// Runs one session's DDL statement (docs/SQL.md, "DDL"). Every change of the catalog is a
/// `CatalogChange`: one transaction that reads the catalog, changes it, bumps the schema
/// version and commits (running again after a conflict with another DDL). A change of a table
/// also bumps the table's `revision` and then waits until no commit made under the previous
/// revision is in flight, so that a transaction that planned with the old definition either
/// committed before the DDL returns or fails with 8028 (`Session.commit`). That is why a
/// column change is one step; an index change is several (`OnlineIndex`), because its entries
/// must be complete before statements read it.
///
/// Statements with several steps are not atomic across them: an `ALTER TABLE` with several
/// specifications runs them in order, each its own change, and one that fails leaves those
/// before it applied.
final class DDLRunner {
  let domain: Domain
  /// The session's database, for names without one.
  let currentDatabase: String?
  /// What DEFAULT expressions compile in.
  let context: ExecutionContext
  /// The statement's notes and warnings, for `SHOW WARNINGS`.
  var warnings: [SQLWarning] = []

  /// A runner for a statement of `session`.
  init(session: Session) async throws {
    domain = session.domain
    currentDatabase = session.currentDatabase
    context = try await ExecutionContext(session: session, txn: try await domain.store.begin())
  }

  var catalog: CatalogChange { CatalogChange(domain: domain) }

  /// Builds columns and their defaults in the session.
  var columnBuilder: ColumnBuilder { ColumnBuilder(context: context) }

  /// `name`, or the current database. - Throws: 1046 when neither is there.
  func databaseName(_ name: String?) throws(SQLError) -> String {
    guard let name = name ?? currentDatabase else { throw SQLError.noDatabaseSelected }
    return name
  }

  /// Changes table `name` in one catalog step: `body` changes the latest definition (it may
  /// run more than once, on a conflict), the revision is bumped, and the commits made under
  /// the previous revision are waited for.
  /// - Returns: the definition before and after.
  /// - Throws: 1046, 1049, 1146 for the name; what `body` throws.
  @discardableResult
  func changeTable(
    _ name: TableName, _ body: (inout TableInfo) async throws -> Void
  ) async throws -> (old: TableInfo, new: TableInfo) {
    let database = try databaseName(name.schema)
    let change = try await catalog.run { meta, schema in
      let (found, table) = try schema.existingTable(database, name.name)
      var changed = table
      try await body(&changed)
      changed.revision = table.revision + 1
      try meta.put(changed, in: found.info.id)
      return (old: table, new: changed)
    }
    try await domain.commits.waitForCommits(table: change.new.id, before: change.new.revision)
    return change
  }

  /// Table `name` as the latest catalog defines it.
  /// - Throws: 1046, 1049, 1146.
  func currentTable(_ name: TableName) async throws -> TableInfo {
    let database = try databaseName(name.schema)
    let txn = try await domain.store.begin()
    return try await domain.infoSchema(for: txn).existingTable(database, name.name).table
  }
}

extension InfoSchema {
  /// Database `name`. - Throws: 1049 if there is none.
  func existingDatabase(_ name: String) throws(SQLError) -> Database {
    guard let database = database(name) else { throw SQLError.unknownDatabase(name) }
    return database
  }

  /// Table `name` of database `database`, with its database.
  /// - Throws: 1049 for an unknown database, 1146 for an unknown table.
  func existingTable(
    _ database: String, _ name: String
  ) throws(SQLError) -> (database: Database, table: TableInfo) {
    let found = try existingDatabase(database)
    guard let table = found.tables[name.lowercased()] else {
      throw SQLError.noSuchTable(found.info.name, name)
    }
    return (found, table)
  }
}
