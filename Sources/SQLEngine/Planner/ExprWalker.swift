import SQLParser

/// Questions about an expression's shape that planning asks before compiling it.
enum ExprWalker {
  /// The conjuncts of `expr` (`a AND b AND c` → a, b, c).
  static func conjuncts(_ expr: Expr?) -> [Expr] {
    guard let expr else { return [] }
    if case .binary(.and, let left, let right) = expr { return conjuncts(left) + conjuncts(right) }
    return [expr]
  }

  /// The columns `expr` refers to; nil if it holds a subquery (whose references cannot be told
  /// apart from its own tables' without planning it).
  static func columns(_ expr: Expr) -> [ColumnName]? {
    var found: [ColumnName] = []
    return visit(expr, &found) ? found : nil
  }

  /// The aggregate calls in `expr`, outside subqueries, in order.
  static func aggregates(_ expr: Expr) -> [AggregateCall] {
    var found: [AggregateCall] = []
    collectAggregates(expr, &found)
    return found
  }

  /// The columns `expr` refers to outside aggregate calls (subqueries included: their outer
  /// references cannot be told apart, so every name in them counts).
  static func columnsOutsideAggregates(_ expr: Expr) -> [ColumnName] {
    var found: [ColumnName] = []
    collectOutside(expr, &found)
    return found
  }

  private static func collectOutside(_ expr: Expr, _ found: inout [ColumnName]) {
    switch expr {
    case .column(let name): found.append(name)
    case .aggregate: return
    case .inSubquery(let value, let query, _), .quantifiedComparison(_, let value, _, let query):
      collectOutside(value, &found)
      found += names(in: query)
    case .exists(let query), .subquery(let query): found += names(in: query)
    default: for child in children(expr) ?? [] { collectOutside(child, &found) }
    }
  }

  /// Every column name a query's text mentions (a superset of its outer references).
  private static func names(in query: Query) -> [ColumnName] {
    let text = query.description
    // A subquery is rare in a grouped query's select list: treat each of its words as a
    // possible column name rather than planning it.
    return text.split { !$0.isLetter && !$0.isNumber && $0 != "_" }.map {
      ColumnName(name: String($0))
    }
  }

  private static func children(_ expr: Expr) -> [Expr]? {
    switch expr {
    case .literal, .column, .parameter, .variable, .defaultValue, .values: return []
    case .unary(_, let e), .isNull(let e, _), .isBoolean(let e, _, _), .cast(let e, _),
      .convertUsing(let e, _), .collate(let e, _), .interval(let e, _):
      return [e]
    case .binary(_, let a, let b): return [a, b]
    case .like(let a, let b, let c, _): return [a, b] + (c.map { [$0] } ?? [])
    case .regexp(let a, let b, _): return [a, b]
    case .between(let a, let b, let c, _): return [a, b, c]
    case .inList(let a, let list, _): return [a] + list
    case .row(let list): return list
    case .function(let call): return call.arguments
    case .aggregate(let call): return call.arguments + call.orderBy.map(\.expr)
    case .caseWhen(let c):
      return (c.operand.map { [$0] } ?? []) + c.branches.flatMap { [$0.condition, $0.result] }
        + (c.elseResult.map { [$0] } ?? [])
    case .inSubquery, .quantifiedComparison, .exists, .subquery: return nil
    }
  }

  private static func visit(_ expr: Expr, _ found: inout [ColumnName]) -> Bool {
    if case .column(let name) = expr { found.append(name) }
    guard let children = children(expr) else { return false }
    return children.allSatisfy { visit($0, &found) }
  }

  private static func collectAggregates(_ expr: Expr, _ found: inout [AggregateCall]) {
    if case .aggregate(let call) = expr {
      found.append(call)
      return
    }
    for child in children(expr) ?? [] { collectAggregates(child, &found) }
    if case .inSubquery(let value, _, _) = expr { collectAggregates(value, &found) }
    if case .quantifiedComparison(_, let value, _, _) = expr { collectAggregates(value, &found) }
  }

  /// Whether every column `expr` refers to is in `schema` (false with a subquery inside).
  static func isCovered(_ expr: Expr, by schema: PlanSchema) -> Bool {
    guard let columns = columns(expr) else { return false }
    return columns.allSatisfy { (try? schema.resolve($0, clause: "")) != nil }
  }
}
