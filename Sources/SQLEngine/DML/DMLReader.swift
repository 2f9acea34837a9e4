import Coprocessor
import SQLParser

/// The rows an UPDATE or DELETE changes: read like a query of one table (its conditions pushed
/// down, an index or point get chosen), each row all the table's columns then its handle;
/// ordered and limited as the statement says.
struct DMLReader {
  let context: ExecutionContext

  /// The plan reading the rows of `table` that satisfy `condition`.
  func rows(
    of name: TableName, alias: String?, where condition: Expr?
  ) async throws -> (table: TableInfo, database: String, source: PlanSoFar, explain: ExplainNode) {
    let planner = QueryPlanner(context: context)
    var conjuncts = ExprWalker.conjuncts(condition)
    var source = try await planner.planFrom(
      [.table(name, alias: alias, indexHints: [])], conjuncts: &conjuncts, outer: [])
    source = try await planner.filter(source, conjuncts, outer: [], clause: "where clause")
    let (database, table) = try context.table(name)
    return (table, database, source, source.explain())
  }

  /// The rows of `name` an UPDATE or DELETE changes, with the plan that read them.
  func matching(
    _ name: TableName, alias: String?, where condition: Expr?, orderBy: [OrderItem],
    limit: LimitValue?
  ) async throws -> (table: TableInfo, database: String, source: PlanSoFar, rows: [Row]) {
    let (table, database, source, _) = try await rows(of: name, alias: alias, where: condition)
    return (table, database, source, try await read(source, orderBy: orderBy, limit: limit))
  }

  /// The rows, sorted by `orderBy` and cut to `limit`.
  func read(
    _ source: PlanSoFar, orderBy: [OrderItem], limit: LimitValue?
  ) async throws -> [Row] {
    var executor = try source.executor()
    if !orderBy.isEmpty {
      let compiler = ExpressionCompiler(
        schema: source.schema, session: context, clause: "order clause")
      var keys: [(expression: Expression, descending: Bool)] = []
      for item in orderBy {
        let key = try await compiler.compile(item.expr)
        keys.append((try key.evaluator(width: source.schema.columns.count), item.descending))
      }
      executor = SortExecutor(executor, keys: keys)
    }
    if let limit {
      let count = try QueryPlanner(context: context).limitValues(LimitClause(count: limit)).count
      executor = LimitExecutor(executor, offset: 0, count: count)
    }
    return try await executor.drain()
  }
}
