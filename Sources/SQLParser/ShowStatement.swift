/// `SHOW ...`, and `DESCRIBE t` / `EXPLAIN t` (which are `SHOW COLUMNS FROM t`). The parser
/// accepts each form; the engine decides what to answer.
public struct ShowStatement: Sendable, Hashable, CustomStringConvertible {
  /// What is shown.
  public var kind: ShowKind
  /// `LIKE 'pattern'` or `WHERE expr`, if given (only for the kinds that take one).
  public var filter: ShowFilter?

  /// A statement.
  public init(kind: ShowKind, filter: ShowFilter? = nil) {
    self.kind = kind
    self.filter = filter
  }

  /// The statement as SQL.
  public var description: String {
    "SHOW \(kind)" + (filter.map { " \($0)" } ?? "")
  }
}

/// What `SHOW` shows.
public enum ShowKind: Sendable, Hashable, CustomStringConvertible {
  /// `DATABASES` (or `SCHEMAS`).
  case databases
  /// `[FULL] TABLES [FROM|IN db]`.
  case tables(full: Bool, database: String?)
  /// `TABLE STATUS [FROM|IN db]`.
  case tableStatus(database: String?)
  /// `[FULL] COLUMNS|FIELDS FROM|IN t [FROM|IN db]`; a second `FROM` names the table's
  /// database.
  case columns(TableName, full: Bool)
  /// `INDEX|INDEXES|KEYS FROM|IN t [FROM|IN db]`.
  case indexes(TableName)
  /// `CREATE TABLE t`.
  case createTable(TableName)
  /// `CREATE DATABASE|SCHEMA [IF NOT EXISTS] db`.
  case createDatabase(String, ifNotExists: Bool)
  /// `[GLOBAL|SESSION|LOCAL] VARIABLES`; nil scope means session.
  case variables(VariableScope?)
  /// `[GLOBAL|SESSION|LOCAL] STATUS`; nil scope means session.
  case status(VariableScope?)
  /// `WARNINGS [LIMIT ...]`.
  case warnings(Limit?)
  /// `ERRORS [LIMIT ...]`.
  case errors(Limit?)
  /// `[STORAGE] ENGINES`.
  case engines
  /// `CHARACTER SET` or `CHARSET`.
  case charset
  /// `COLLATION`.
  case collation
  /// `[FULL] PROCESSLIST`.
  case processList(full: Bool)

  /// The part after `SHOW`, as SQL.
  public var description: String {
    switch self {
    case .databases: "DATABASES"
    case .tables(let full, let database):
      (full ? "FULL " : "") + "TABLES" + (database.map { " FROM " + Quoting.identifier($0) } ?? "")
    case .tableStatus(let database):
      "TABLE STATUS" + (database.map { " FROM " + Quoting.identifier($0) } ?? "")
    case .columns(let table, let full): (full ? "FULL " : "") + "COLUMNS FROM \(table)"
    case .indexes(let table): "INDEX FROM \(table)"
    case .createTable(let table): "CREATE TABLE \(table)"
    case .createDatabase(let name, let ifNotExists):
      "CREATE DATABASE " + (ifNotExists ? "IF NOT EXISTS " : "") + Quoting.identifier(name)
    case .variables(let scope): (scope.map { $0.rawValue + " " } ?? "") + "VARIABLES"
    case .status(let scope): (scope.map { $0.rawValue + " " } ?? "") + "STATUS"
    case .warnings(let limit): "WARNINGS" + (limit.map { " \($0)" } ?? "")
    case .errors(let limit): "ERRORS" + (limit.map { " \($0)" } ?? "")
    case .engines: "ENGINES"
    case .charset: "CHARACTER SET"
    case .collation: "COLLATION"
    case .processList(let full): (full ? "FULL " : "") + "PROCESSLIST"
    }
  }

  /// Whether the kind takes `LIKE` or `WHERE`.
  var takesFilter: Bool {
    switch self {
    case .databases, .tables, .tableStatus, .columns, .indexes, .variables, .status, .charset,
      .collation:
      true
    case .createTable, .createDatabase, .warnings, .errors, .engines, .processList:
      false
    }
  }
}

/// The filter of a `SHOW`.
public enum ShowFilter: Sendable, Hashable, CustomStringConvertible {
  /// `LIKE 'pattern'`: the pattern's text (`%` and `_` wildcards, `\` escapes).
  case like(String)
  /// `WHERE expr`, over the columns of the result.
  case `where`(Expr)

  /// The filter as SQL.
  public var description: String {
    switch self {
    case .like(let pattern): "LIKE " + Quoting.string(Array(pattern.utf8))
    case .where(let expr): "WHERE \(expr)"
    }
  }
}
