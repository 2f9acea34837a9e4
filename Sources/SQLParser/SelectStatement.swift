/// One `SELECT` block: `SELECT [DISTINCT] fields [FROM ...] [WHERE ...] [GROUP BY ...]
/// [HAVING ...]`. Its `ORDER BY`, `LIMIT` and lock belong to the enclosing ``Query``.
///
/// Modifiers that change no result (`ALL`, `SQL_NO_CACHE`, `SQL_CACHE`, `SQL_BUFFER_RESULT`,
/// `SQL_SMALL_RESULT`, `SQL_BIG_RESULT`, `SQL_CALC_FOUND_ROWS`, `HIGH_PRIORITY`,
/// `STRAIGHT_JOIN`) are accepted and dropped; `FROM DUAL` is no `FROM` at all.
public struct SelectStatement: Sendable, Hashable, CustomStringConvertible {
  /// Whether `DISTINCT` (or `DISTINCTROW`) was given.
  public var distinct: Bool
  /// The select list, in order.
  public var fields: [SelectField]
  /// The `FROM` list (comma-separated references); empty without `FROM` or with `FROM DUAL`.
  public var from: [TableReference]
  /// `WHERE`, if any.
  public var whereClause: Expr?
  /// `GROUP BY` expressions, in order.
  public var groupBy: [Expr]
  /// `HAVING`, if any.
  public var having: Expr?

  /// A `SELECT` block.
  public init(
    distinct: Bool = false, fields: [SelectField], from: [TableReference] = [],
    whereClause: Expr? = nil, groupBy: [Expr] = [], having: Expr? = nil
  ) {
    self.distinct = distinct
    self.fields = fields
    self.from = from
    self.whereClause = whereClause
    self.groupBy = groupBy
    self.having = having
  }

  /// The block as SQL.
  public var description: String {
    var text = "SELECT " + (distinct ? "DISTINCT " : "")
    text += fields.map(\.description).joined(separator: ", ")
    if !from.isEmpty { text += " FROM " + from.map(\.description).joined(separator: ", ") }
    if let whereClause { text += " WHERE \(whereClause)" }
    if !groupBy.isEmpty {
      text += " GROUP BY " + groupBy.map(\.description).joined(separator: ", ")
    }
    if let having { text += " HAVING \(having)" }
    return text
  }
}

/// One item of a select list.
///
/// An expression keeps its source text (``text``), since MySQL names an unaliased result
/// column by the expression as typed (`a+1`, `COUNT(*)`). The text is a spelling, not part of
/// the meaning: `==` and hashing ignore it, so a field equals the one its `description`
/// parses back to.
public enum SelectField: Sendable, Hashable, CustomStringConvertible {
  /// `*`, or `t.*` / `db.t.*` with the table.
  case wildcard(TableName?)
  /// An expression with its alias, if any, and its text as written.
  case expression(Expr, alias: String?, text: String)

  /// An expression field whose text is its canonical SQL.
  public static func expression(_ expr: Expr, alias: String? = nil) -> SelectField {
    .expression(expr, alias: alias, text: expr.description)
  }

  /// An expression as the user typed it, trimmed: MySQL's name for an unaliased column. A
  /// wildcard's is canonical (`*`, `` `t`.* ``).
  public var text: String {
    switch self {
    case .wildcard(let table): (table.map { "\($0)." } ?? "") + "*"
    case .expression(_, _, let text): text
    }
  }

  /// The field as canonical SQL.
  public var description: String {
    switch self {
    case .wildcard: text
    case .expression(let expr, let alias, _):
      expr.description + (alias.map { " AS " + Quoting.identifier($0) } ?? "")
    }
  }

  /// Fields are equal when they select the same thing under the same alias.
  public static func == (lhs: SelectField, rhs: SelectField) -> Bool {
    switch (lhs, rhs) {
    case (.wildcard(let left), .wildcard(let right)): left == right
    case (.expression(let left, let leftAlias, _), .expression(let right, let rightAlias, _)):
      left == right && leftAlias == rightAlias
    default: false
    }
  }

  /// Hashes what `==` compares.
  public func hash(into hasher: inout Hasher) {
    switch self {
    case .wildcard(let table):
      hasher.combine(0)
      hasher.combine(table)
    case .expression(let expr, let alias, _):
      hasher.combine(1)
      hasher.combine(expr)
      hasher.combine(alias)
    }
  }
}
