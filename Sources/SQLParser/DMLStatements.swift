/// `INSERT` or `REPLACE`: `[IGNORE] [INTO] t [(columns)] VALUES (...), ...`, `... SET a = 1`
/// or `... SELECT ...`, then `ON DUPLICATE KEY UPDATE` (for `INSERT`). Priority modifiers
/// (`LOW_PRIORITY`, `DELAYED`, `HIGH_PRIORITY`) are accepted and dropped.
public struct InsertStatement: Sendable, Hashable, CustomStringConvertible {
  /// Whether the statement is `REPLACE` (which deletes rows whose keys collide).
  public var isReplace: Bool
  /// Whether `IGNORE` was given.
  public var ignore: Bool
  /// The table written to.
  public var table: TableName
  /// The column list; nil when none was written (all columns, in order). `()` is empty.
  public var columns: [String]?
  /// Where the rows come from.
  public var source: InsertSource
  /// `ON DUPLICATE KEY UPDATE` assignments (empty without the clause).
  public var onDuplicateKeyUpdate: [Assignment]

  /// An insert.
  public init(
    isReplace: Bool = false, ignore: Bool = false, table: TableName, columns: [String]? = nil,
    source: InsertSource, onDuplicateKeyUpdate: [Assignment] = []
  ) {
    self.isReplace = isReplace
    self.ignore = ignore
    self.table = table
    self.columns = columns
    self.source = source
    self.onDuplicateKeyUpdate = onDuplicateKeyUpdate
  }

  /// The statement as SQL.
  public var description: String {
    var text = (isReplace ? "REPLACE " : "INSERT ") + (ignore ? "IGNORE " : "") + "INTO \(table)"
    if let columns { text += " (" + columns.map(Quoting.identifier).joined(separator: ", ") + ")" }
    text += " \(source)"
    if !onDuplicateKeyUpdate.isEmpty {
      text += " ON DUPLICATE KEY UPDATE " + Assignment.list(onDuplicateKeyUpdate)
    }
    return text
  }
}

/// The rows of an `INSERT`.
public enum InsertSource: Sendable, Hashable, CustomStringConvertible {
  /// `VALUES (a, b), (c, d)` (or `VALUE`); a row may be empty, `()`.
  case values([[Expr]])
  /// `SET a = 1, b = 2`: one row.
  case set([Assignment])
  /// `SELECT ...` (or a parenthesised query).
  case query(Query)

  /// The source as SQL.
  public var description: String {
    switch self {
    case .values(let rows):
      "VALUES "
        + rows.map { "(" + $0.map(\.description).joined(separator: ", ") + ")" }
        .joined(separator: ", ")
    case .set(let assignments): "SET " + Assignment.list(assignments)
    case .query(let query): query.description
    }
  }
}

/// `column = value`, in `UPDATE ... SET`, `INSERT ... SET` and `ON DUPLICATE KEY UPDATE`.
public struct Assignment: Sendable, Hashable, CustomStringConvertible {
  /// The column assigned.
  public var column: ColumnName
  /// The value (``Expr/defaultValue(_:)`` for `DEFAULT`).
  public var value: Expr

  /// An assignment.
  public init(column: ColumnName, value: Expr) {
    self.column = column
    self.value = value
  }

  /// The assignment as SQL.
  public var description: String { "\(column) = \(value)" }

  static func list(_ assignments: [Assignment]) -> String {
    assignments.map(\.description).joined(separator: ", ")
  }
}

/// Single-table `UPDATE [LOW_PRIORITY] [IGNORE] t [[AS] a] SET ... [WHERE] [ORDER BY]
/// [LIMIT n]`.
public struct UpdateStatement: Sendable, Hashable, CustomStringConvertible {
  /// Whether `IGNORE` was given.
  public var ignore: Bool
  /// The table updated.
  public var table: TableName
  /// The table's alias, if any.
  public var alias: String?
  /// The assignments, in order (MySQL applies them left to right).
  public var assignments: [Assignment]
  /// `WHERE`, if any.
  public var whereClause: Expr?
  /// `ORDER BY` items.
  public var orderBy: [OrderItem]
  /// `LIMIT n`, if any.
  public var limit: LimitValue?

  /// An update.
  public init(
    ignore: Bool = false, table: TableName, alias: String? = nil, assignments: [Assignment],
    whereClause: Expr? = nil, orderBy: [OrderItem] = [], limit: LimitValue? = nil
  ) {
    self.ignore = ignore
    self.table = table
    self.alias = alias
    self.assignments = assignments
    self.whereClause = whereClause
    self.orderBy = orderBy
    self.limit = limit
  }

  /// The statement as SQL.
  public var description: String {
    var text = "UPDATE " + (ignore ? "IGNORE " : "") + table.description
    if let alias { text += " AS " + Quoting.identifier(alias) }
    text += " SET " + Assignment.list(assignments)
    return text + DMLClauses.text(whereClause: whereClause, orderBy: orderBy, limit: limit)
  }
}

/// Single-table `DELETE [LOW_PRIORITY] [QUICK] [IGNORE] FROM t [[AS] a] [WHERE] [ORDER BY]
/// [LIMIT n]`.
public struct DeleteStatement: Sendable, Hashable, CustomStringConvertible {
  /// Whether `IGNORE` was given.
  public var ignore: Bool
  /// The table deleted from.
  public var table: TableName
  /// The table's alias, if any.
  public var alias: String?
  /// `WHERE`, if any.
  public var whereClause: Expr?
  /// `ORDER BY` items.
  public var orderBy: [OrderItem]
  /// `LIMIT n`, if any.
  public var limit: LimitValue?

  /// A delete.
  public init(
    ignore: Bool = false, table: TableName, alias: String? = nil, whereClause: Expr? = nil,
    orderBy: [OrderItem] = [], limit: LimitValue? = nil
  ) {
    self.ignore = ignore
    self.table = table
    self.alias = alias
    self.whereClause = whereClause
    self.orderBy = orderBy
    self.limit = limit
  }

  /// The statement as SQL.
  public var description: String {
    var text = "DELETE " + (ignore ? "IGNORE " : "") + "FROM \(table)"
    if let alias { text += " AS " + Quoting.identifier(alias) }
    return text + DMLClauses.text(whereClause: whereClause, orderBy: orderBy, limit: limit)
  }
}

/// The `WHERE`, `ORDER BY` and `LIMIT` that `UPDATE` and `DELETE` share, as SQL.
enum DMLClauses {
  static func text(whereClause: Expr?, orderBy: [OrderItem], limit: LimitValue?) -> String {
    var text = ""
    if let whereClause { text += " WHERE \(whereClause)" }
    if !orderBy.isEmpty {
      text += " ORDER BY " + orderBy.map(\.description).joined(separator: ", ")
    }
    if let limit { text += " LIMIT \(limit)" }
    return text
  }
}
