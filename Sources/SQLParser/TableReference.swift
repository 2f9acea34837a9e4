/// An item of a `FROM` list: a table, a derived table, or a join of two references.
public indirect enum TableReference: Sendable, Hashable, CustomStringConvertible {
  /// A table, with its alias (`t AS a`, `t a`) and index hints, if any.
  case table(TableName, alias: String?, indexHints: [IndexHint])
  /// `(SELECT ...) [AS] alias`: MySQL requires the alias.
  case derived(Query, alias: String)
  /// A join; chains nest to the left, parentheses may nest them to the right.
  case join(Join)

  /// The reference as SQL.
  public var description: String {
    switch self {
    case .table(let name, let alias, let hints):
      ([name.description] + (alias.map { ["AS " + Quoting.identifier($0)] } ?? [])
        + hints.map(\.description)).joined(separator: " ")
    case .derived(let query, let alias): "(\(query)) AS " + Quoting.identifier(alias)
    case .join(let join): join.description
    }
  }
}

/// `left [kind] JOIN right [ON ... | USING (...)]`.
public struct Join: Sendable, Hashable, CustomStringConvertible {
  /// How the sides join.
  public var kind: JoinKind
  /// The left side.
  public var left: TableReference
  /// The right side.
  public var right: TableReference
  /// `ON`, `USING` or `NATURAL`; nil for a cross join (`JOIN` or `,` without a condition).
  /// Left and right joins always have one.
  public var condition: JoinCondition?

  /// A join.
  public init(
    kind: JoinKind, left: TableReference, right: TableReference, condition: JoinCondition? = nil
  ) {
    self.kind = kind
    self.left = left
    self.right = right
    self.condition = condition
  }

  /// The join as SQL; a join on the right is parenthesised.
  public var description: String {
    var rightText = right.description
    if case .join = right { rightText = "(\(rightText))" }
    let natural = condition == .natural ? "NATURAL " : ""
    var text = "\(left) \(natural)\(kind.rawValue) \(rightText)"
    switch condition {
    case .on(let expr): text += " ON \(expr)"
    case .using(let columns):
      text += " USING (" + columns.map(Quoting.identifier).joined(separator: ", ") + ")"
    case .natural, nil: break
    }
    return text
  }
}

/// The kinds of join.
public enum JoinKind: String, Sendable, Hashable {
  /// `JOIN`, `INNER JOIN`, `CROSS JOIN` (the same in MySQL) and a parenthesised `,` list.
  case inner = "JOIN"
  /// `LEFT [OUTER] JOIN`.
  case left = "LEFT JOIN"
  /// `RIGHT [OUTER] JOIN`.
  case right = "RIGHT JOIN"
  /// `STRAIGHT_JOIN`: an inner join that reads the left side first.
  case straight = "STRAIGHT_JOIN"
}

/// How a join matches rows.
public enum JoinCondition: Sendable, Hashable {
  /// `ON expr`.
  case on(Expr)
  /// `USING (a, b)`.
  case using([String])
  /// `NATURAL`: `USING` the columns both sides have.
  case natural
}

/// `USE INDEX (a, b)`, `IGNORE INDEX (...)` or `FORCE INDEX (...)` after a table (`KEY` for
/// `INDEX` too).
public struct IndexHint: Sendable, Hashable, CustomStringConvertible {
  /// The hint's kind.
  public var kind: IndexHintKind
  /// The indexes named (`PRIMARY` for the primary key); `USE INDEX ()` names none.
  public var indexes: [String]

  /// A hint.
  public init(kind: IndexHintKind, indexes: [String]) {
    self.kind = kind
    self.indexes = indexes
  }

  /// The hint as SQL.
  public var description: String {
    "\(kind.rawValue) INDEX (" + indexes.map(Quoting.identifier).joined(separator: ", ") + ")"
  }
}

/// The kinds of index hint.
public enum IndexHintKind: String, Sendable, Hashable {
  case use = "USE"
  case ignore = "IGNORE"
  case force = "FORCE"
}
