/// `EXPLAIN [FORMAT = name] statement`, `EXPLAIN ANALYZE statement`, and `DESCRIBE`/`DESC`
/// before a statement. The statement is a query, `INSERT`, `REPLACE`, `UPDATE` or `DELETE`.
public struct ExplainStatement: Sendable, Hashable, CustomStringConvertible {
  /// The statement explained.
  public var statement: Statement
  /// `FORMAT = name` (lower-cased: `row`, `json`, `tree`, `dot`, ...), if given.
  public var format: String?
  /// Whether `ANALYZE` was given: run the statement and report what happened.
  public var analyze: Bool

  /// A statement.
  public init(statement: Statement, format: String? = nil, analyze: Bool = false) {
    self.statement = statement
    self.format = format
    self.analyze = analyze
  }

  /// The statement as SQL.
  public var description: String {
    "EXPLAIN " + (analyze ? "ANALYZE " : "")
      + (format.map { "FORMAT = " + Quoting.string(Array($0.utf8)) + " " } ?? "")
      + statement.description
  }
}

/// TiDB's `ADMIN` statements.
public enum AdminStatement: Sendable, Hashable, CustomStringConvertible {
  /// `ADMIN SHOW DDL`: the DDL owner and running job.
  case showDDL
  /// `ADMIN SHOW DDL JOBS [n] [WHERE expr]`: the last `n` jobs (TiDB's default is 10).
  case showDDLJobs(count: UInt64?, whereClause: Expr?)

  /// The statement as SQL.
  public var description: String {
    switch self {
    case .showDDL: "ADMIN SHOW DDL"
    case .showDDLJobs(let count, let whereClause):
      "ADMIN SHOW DDL JOBS" + (count.map { " \($0)" } ?? "")
        + (whereClause.map { " WHERE \($0)" } ?? "")
    }
  }
}

/// `KILL [CONNECTION | QUERY] id`.
public struct KillStatement: Sendable, Hashable, CustomStringConvertible {
  /// The connection's id (as `CONNECTION_ID()` and `SHOW PROCESSLIST` give it).
  public var connectionID: UInt64
  /// Whether `QUERY` was given: stop the running statement, keep the connection.
  public var queryOnly: Bool

  /// A statement.
  public init(connectionID: UInt64, queryOnly: Bool = false) {
    self.connectionID = connectionID
    self.queryOnly = queryOnly
  }

  /// The statement as SQL.
  public var description: String { "KILL " + (queryOnly ? "QUERY " : "") + "\(connectionID)" }
}
