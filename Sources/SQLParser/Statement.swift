/// A parsed SQL statement.
public indirect enum Statement: Sendable, Hashable, CustomStringConvertible {
  /// `SELECT ...`, a `UNION`, or a parenthesised query.
  case select(Query)
  /// `INSERT ...` or `REPLACE ...`.
  case insert(InsertStatement)
  /// `UPDATE ...`.
  case update(UpdateStatement)
  /// `DELETE ...`.
  case delete(DeleteStatement)
  /// `CREATE DATABASE ...` (or `SCHEMA`).
  case createDatabase(CreateDatabaseStatement)
  /// `DROP DATABASE ...` (or `SCHEMA`).
  case dropDatabase(DropDatabaseStatement)
  /// `CREATE TABLE ... (...)`.
  case createTable(CreateTableStatement)
  /// `CREATE TABLE ... LIKE ...`.
  case createTableLike(CreateTableLikeStatement)
  /// `DROP TABLE ...`.
  case dropTable(DropTableStatement)
  /// `TRUNCATE [TABLE] t`.
  case truncateTable(TableName)
  /// `RENAME TABLE ...`.
  case renameTable(RenameTableStatement)
  /// `CREATE [UNIQUE] INDEX ...`.
  case createIndex(CreateIndexStatement)
  /// `DROP INDEX ... ON ...`.
  case dropIndex(DropIndexStatement)
  /// `ALTER TABLE ...`.
  case alterTable(AlterTableStatement)
  /// `USE db`.
  case use(String)
  /// `BEGIN [WORK]` or `START TRANSACTION ...`.
  case startTransaction(StartTransactionStatement)
  /// `COMMIT [WORK]`.
  case commit
  /// `ROLLBACK [WORK]`.
  case rollback
  /// `SET ...` (variables, `NAMES`, `CHARACTER SET`).
  case set(SetStatement)
  /// `SET [GLOBAL|SESSION] TRANSACTION ...`.
  case setTransaction(SetTransactionStatement)
  /// `SHOW ...`, `DESCRIBE t`, `EXPLAIN t`.
  case show(ShowStatement)
  /// `EXPLAIN statement`, `DESCRIBE statement`.
  case explain(ExplainStatement)
  /// `ANALYZE TABLE t1, t2`.
  case analyzeTable([TableName])
  /// `ADMIN ...`.
  case admin(AdminStatement)
  /// `KILL ...`.
  case kill(KillStatement)
  /// `DO expr, ...`: evaluate and discard.
  case `do`([Expr])

  /// The statement as canonical SQL that parses back to the same statement.
  public var description: String {
    switch self {
    case .select(let query): query.description
    case .insert(let statement): statement.description
    case .update(let statement): statement.description
    case .delete(let statement): statement.description
    case .createDatabase(let statement): statement.description
    case .dropDatabase(let statement): statement.description
    case .createTable(let statement): statement.description
    case .createTableLike(let statement): statement.description
    case .dropTable(let statement): statement.description
    case .truncateTable(let table): "TRUNCATE TABLE \(table)"
    case .renameTable(let statement): statement.description
    case .createIndex(let statement): statement.description
    case .dropIndex(let statement): statement.description
    case .alterTable(let statement): statement.description
    case .use(let database): "USE " + Quoting.identifier(database)
    case .startTransaction(let statement): statement.description
    case .commit: "COMMIT"
    case .rollback: "ROLLBACK"
    case .set(let statement): statement.description
    case .setTransaction(let statement): statement.description
    case .show(let statement): statement.description
    case .explain(let statement): statement.description
    case .analyzeTable(let tables):
      "ANALYZE TABLE " + tables.map(\.description).joined(separator: ", ")
    case .admin(let statement): statement.description
    case .kill(let statement): statement.description
    case .do(let exprs): "DO " + exprs.map(\.description).joined(separator: ", ")
    }
  }
}
