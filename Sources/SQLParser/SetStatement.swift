/// `SET assignment [, assignment ...]`: variables, `NAMES`, `CHARACTER SET`.
public struct SetStatement: Sendable, Hashable, CustomStringConvertible {
  /// The assignments, in order.
  public var assignments: [SetAssignment]

  /// A statement.
  public init(assignments: [SetAssignment]) { self.assignments = assignments }

  /// The statement as SQL.
  public var description: String {
    "SET " + assignments.map(\.description).joined(separator: ", ")
  }
}

/// One assignment of `SET`.
public enum SetAssignment: Sendable, Hashable, CustomStringConvertible {
  /// `[GLOBAL|SESSION|LOCAL] name = value`, `@@[scope.]name = value` or `@name = value` (`:=`
  /// too). For a system variable, a bare word (`SET autocommit = OFF`) and `ON` are their
  /// names as strings, as MySQL reads them; `DEFAULT` is ``Expr/defaultValue(_:)``.
  case variable(Variable, Expr)
  /// `NAMES charset [COLLATE collation]`, lower-cased; `NAMES DEFAULT` has no charset.
  case names(charset: String?, collation: String?)
  /// `CHARACTER SET charset` or `CHARSET charset`, lower-cased; nil for `DEFAULT`.
  case characterSet(String?)

  /// The assignment as SQL.
  public var description: String {
    switch self {
    case .variable(let variable, let value): "\(variable) = \(value)"
    case .names(let charset, let collation):
      "NAMES " + (charset.map(Quoting.name) ?? "DEFAULT")
        + (collation.map { " COLLATE " + Quoting.name($0) } ?? "")
    case .characterSet(let charset): "CHARACTER SET " + (charset.map(Quoting.name) ?? "DEFAULT")
    }
  }
}

/// `SET [GLOBAL|SESSION] TRANSACTION characteristic [, ...]`.
public struct SetTransactionStatement: Sendable, Hashable, CustomStringConvertible {
  /// The scope; nil (no scope written) sets the next transaction only.
  public var scope: VariableScope?
  /// `ISOLATION LEVEL ...`, if given.
  public var isolationLevel: IsolationLevel?
  /// `READ ONLY` or `READ WRITE`, if given.
  public var accessMode: TransactionAccessMode?

  /// A statement.
  public init(
    scope: VariableScope? = nil, isolationLevel: IsolationLevel? = nil,
    accessMode: TransactionAccessMode? = nil
  ) {
    self.scope = scope
    self.isolationLevel = isolationLevel
    self.accessMode = accessMode
  }

  /// The statement as SQL.
  public var description: String {
    let characteristics =
      (isolationLevel.map { ["ISOLATION LEVEL " + $0.rawValue] } ?? [])
      + (accessMode.map { [$0.rawValue] } ?? [])
    return "SET " + (scope.map { $0.rawValue + " " } ?? "") + "TRANSACTION "
      + characteristics.joined(separator: ", ")
  }
}

/// The transaction isolation levels.
public enum IsolationLevel: String, Sendable, Hashable {
  case readUncommitted = "READ UNCOMMITTED"
  case readCommitted = "READ COMMITTED"
  case repeatableRead = "REPEATABLE READ"
  case serializable = "SERIALIZABLE"
}

/// Whether a transaction may write.
public enum TransactionAccessMode: String, Sendable, Hashable {
  case readOnly = "READ ONLY"
  case readWrite = "READ WRITE"
}

/// `BEGIN [WORK]` or `START TRANSACTION [characteristic, ...]`.
public struct StartTransactionStatement: Sendable, Hashable, CustomStringConvertible {
  /// `READ ONLY` or `READ WRITE`, if given.
  public var accessMode: TransactionAccessMode?
  /// Whether `WITH CONSISTENT SNAPSHOT` was given.
  public var withConsistentSnapshot: Bool

  /// A statement.
  public init(accessMode: TransactionAccessMode? = nil, withConsistentSnapshot: Bool = false) {
    self.accessMode = accessMode
    self.withConsistentSnapshot = withConsistentSnapshot
  }

  /// The statement as SQL.
  public var description: String {
    let characteristics =
      (withConsistentSnapshot ? ["WITH CONSISTENT SNAPSHOT"] : [])
      + (accessMode.map { [$0.rawValue] } ?? [])
    return "START TRANSACTION"
      + (characteristics.isEmpty ? "" : " " + characteristics.joined(separator: ", "))
  }
}
