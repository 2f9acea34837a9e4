/// A query expression: one `SELECT` block or several joined by `UNION`, then the `ORDER BY`,
/// `LIMIT` and locking clause that apply to the whole. A parenthesised operand of `UNION` keeps
/// its own clauses as a ``QueryBody/parenthesized(_:)``; a parenthesised query with nothing
/// around it is just that query (`(SELECT 1)` is `SELECT 1`).
public struct Query: Sendable, Hashable, CustomStringConvertible {
  /// The `SELECT` block or the `UNION` of them.
  public var body: QueryBody
  /// `ORDER BY` items, in order.
  public var orderBy: [OrderItem]
  /// `LIMIT`, if any.
  public var limit: Limit?
  /// `FOR UPDATE` or `LOCK IN SHARE MODE` / `FOR SHARE`, if any.
  public var lock: SelectLock?

  /// A query.
  public init(
    body: QueryBody, orderBy: [OrderItem] = [], limit: Limit? = nil, lock: SelectLock? = nil
  ) {
    self.body = body
    self.orderBy = orderBy
    self.limit = limit
    self.lock = lock
  }

  /// The query as SQL.
  public var description: String {
    var text = body.description
    if !orderBy.isEmpty {
      text += " ORDER BY " + orderBy.map(\.description).joined(separator: ", ")
    }
    if let limit { text += " \(limit)" }
    if let lock { text += " \(lock.rawValue)" }
    return text
  }
}

/// The part of a query before its `ORDER BY`.
public indirect enum QueryBody: Sendable, Hashable, CustomStringConvertible {
  /// A `SELECT` block.
  case select(SelectStatement)
  /// `left UNION [ALL] right`; chains nest to the left (`a UNION b UNION c` is
  /// `union(union(a, b), c)`).
  case union(QueryBody, QueryBody, all: Bool)
  /// `(query)`, with its own `ORDER BY` and `LIMIT`.
  case parenthesized(Query)

  /// The body as SQL.
  public var description: String {
    switch self {
    case .select(let select): select.description
    case .union(let left, let right, let all):
      "\(left) UNION " + (all ? "ALL " : "")
        + (right.isUnion ? "(\(Query(body: right)))" : right.description)
    case .parenthesized(let query): "(\(query))"
    }
  }

  private var isUnion: Bool {
    if case .union = self { return true }
    return false
  }
}

/// One `ORDER BY` item: an expression (a position like `1` is an integer literal) and its
/// direction.
public struct OrderItem: Sendable, Hashable, CustomStringConvertible {
  /// What to order by.
  public var expr: Expr
  /// Whether `DESC` was given (`ASC` is the default).
  public var descending: Bool

  /// An item.
  public init(expr: Expr, descending: Bool = false) {
    self.expr = expr
    self.descending = descending
  }

  /// The item as SQL.
  public var description: String { expr.description + (descending ? " DESC" : "") }
}

/// `LIMIT count`, `LIMIT offset, count` or `LIMIT count OFFSET offset`.
public struct Limit: Sendable, Hashable, CustomStringConvertible {
  /// The most rows to return.
  public var count: LimitValue
  /// The rows to skip first, if given.
  public var offset: LimitValue?

  /// A limit.
  public init(count: LimitValue, offset: LimitValue? = nil) {
    self.count = count
    self.offset = offset
  }

  /// The clause as SQL: `LIMIT offset, count`, or `LIMIT count OFFSET offset` when that keeps
  /// the placeholders in their order.
  public var description: String {
    guard let offset else { return "LIMIT \(count)" }
    if case .parameter(let countIndex) = count, case .parameter(let offsetIndex) = offset,
      countIndex < offsetIndex
    {
      return "LIMIT \(count) OFFSET \(offset)"
    }
    return "LIMIT \(offset), \(count)"
  }
}

/// A `LIMIT` number: an unsigned integer literal or a placeholder.
public enum LimitValue: Sendable, Hashable, CustomStringConvertible {
  /// A number written in the query.
  case literal(UInt64)
  /// A `?` placeholder, by index (as ``Expr/parameter(_:)``).
  case parameter(Int)

  /// The value as SQL.
  public var description: String {
    switch self {
    case .literal(let value): String(value)
    case .parameter: "?"
    }
  }
}

/// The locking read clauses.
public enum SelectLock: String, Sendable, Hashable {
  /// `FOR UPDATE`.
  case forUpdate = "FOR UPDATE"
  /// `LOCK IN SHARE MODE` or `FOR SHARE`.
  case forShare = "LOCK IN SHARE MODE"
}
