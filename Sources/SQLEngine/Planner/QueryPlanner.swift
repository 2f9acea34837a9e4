import Coprocessor
import SQLParser

/// A planned query: the executors that produce its rows, their columns, and what EXPLAIN
/// shows of it.
struct PlannedQuery {
  var executor: any Executor
  var schema: PlanSchema
  var explain: ExplainNode
}

/// Turns a query into executors (TiDB's planner, rule-based): FROM into table reads and hash
/// joins, WHERE pushed into the reads it concerns (and down to the stores), GROUP BY into a
/// hash aggregation (partials pushed down when one clean table is read), then HAVING, the
/// SELECT list, DISTINCT, ORDER BY and LIMIT (a TopN or limit pushed down when it can be).
struct QueryPlanner {
  let context: ExecutionContext

  func plan(_ query: Query, outer: [CompileScope] = []) async throws -> PlannedQuery {
    let limit = try query.limit.map(limitValues)
    switch query.body {
    case .select(let select):
      return try await planSelect(select, orderBy: query.orderBy, limit: limit, outer: outer)
    case .parenthesized(let inner):
      var planned = try await plan(inner, outer: outer)
      planned = try await order(planned, query.orderBy, limit, outer: outer)
      return planned
    case .union:
      var planned = try await planUnion(query.body, outer: outer)
      planned = try await order(planned, query.orderBy, limit, outer: outer)
      return planned
    }
  }

  /// `LIMIT [offset,] count` as numbers (placeholders bound).
  func limitValues(_ limit: LimitClause) throws -> (offset: UInt64, count: UInt64) {
    func value(_ v: LimitValue) throws -> UInt64 {
      switch v {
      case .literal(let n): return n
      case .parameter(let index):
        switch try context.parameter(index) {
        case .int(let n) where n >= 0: return UInt64(n)
        case .uint(let n): return n
        default:
          throw SQLError(code: 1210, sqlState: "HY000", message: "Incorrect arguments to LIMIT")
        }
      }
    }
    return (try limit.offset.map(value) ?? 0, try value(limit.count))
  }

  private func planUnion(_ body: QueryBody, outer: [CompileScope]) async throws -> PlannedQuery {
    switch body {
    case .select(let select):
      return try await planSelect(select, orderBy: [], limit: nil, outer: outer)
    case .parenthesized(let query):
      return try await plan(query, outer: outer)
    case .union(let left, let right, let all):
      let l = try await planUnion(left, outer: outer)
      let r = try await planUnion(right, outer: outer)
      guard l.schema.columns.count == r.schema.columns.count else {
        throw SQLError.differentColumnCounts
      }
      var executor: any Executor = ConcatExecutor([l.executor, r.executor])
      if !all { executor = DistinctExecutor(executor) }
      var columns = l.schema.columns
      for i in columns.indices where columns[i].kind != r.schema.columns[i].kind {
        columns[i].type = FieldType.of(
          ExpressionCompiler.resultKind([
            TypedExpr(pb: .constant(.null), type: l.schema.columns[i].type),
            TypedExpr(pb: .constant(.null), type: r.schema.columns[i].type),
          ]))
      }
      for i in columns.indices { columns[i].table = nil }
      return PlannedQuery(
        executor: executor, schema: PlanSchema(columns: columns),
        explain: ExplainNode(
          name: all ? "Union" : "HashAgg", task: "root", info: all ? "" : "distinct",
          children: [l.explain, r.explain]))
    }
  }

  private func planSelect(
    _ select: SelectStatement, orderBy: [OrderItem], limit: (offset: UInt64, count: UInt64)?,
    outer: [CompileScope]
  ) async throws -> PlannedQuery {
    var conjuncts = ExprWalker.conjuncts(select.whereClause)
    var source = try await planFrom(
      select.from, conjuncts: &conjuncts, outer: outer,
      needed: Self.columnsRead(select, orderBy: orderBy))
    // What the reads did not take: conditions over the joined rows.
    source = try await filter(source, conjuncts, outer: outer, clause: "where clause")
    var aggregates: [AggregateCall] = []
    for field in select.fields {
      if case .expression(let expr, _, _) = field { aggregates += ExprWalker.aggregates(expr) }
    }
    aggregates += select.having.map(ExprWalker.aggregates) ?? []
    aggregates += orderBy.flatMap { ExprWalker.aggregates($0.expr) }
    var replacements: [Expr: Int] = [:]
    if !aggregates.isEmpty || !select.groupBy.isEmpty {
      (source, replacements) = try await aggregate(
        source, select, orderBy: orderBy, aggregates: aggregates, outer: outer)
    }
    if let having = select.having {
      // HAVING may name a field by its alias.
      var visible = replacements
      for field in select.fields {
        if case .expression(let expr, let alias?, _) = field, let offset = replacements[expr] {
          visible[.column(ColumnName(name: alias))] = offset
        }
      }
      source = try await filter(
        source, ExprWalker.conjuncts(having), outer: outer, clause: "having clause",
        replacements: visible)
    }
    return try await project(
      source, select, orderBy: orderBy, limit: limit, outer: outer, replacements: replacements)
  }

  /// The names of the columns `select` reads, lower-cased; nil when it may read any (`*`, a
  /// subquery).
  static func columnsRead(_ select: SelectStatement, orderBy: [OrderItem]) -> Set<String>? {
    var exprs: [Expr] = []
    for field in select.fields {
      guard case .expression(let expr, _, _) = field else { return nil }
      exprs.append(expr)
    }
    exprs += select.groupBy + orderBy.map(\.expr)
    exprs += [select.whereClause, select.having].compactMap { $0 }
    for case .join(let join) in select.from {
      if case .on(let condition)? = join.condition { exprs.append(condition) }
    }
    var names: Set<String> = []
    for expr in exprs {
      guard let columns = ExprWalker.columns(expr) else { return nil }
      names.formUnion(columns.map { $0.name.lowercased() })
    }
    return names
  }

  /// Keeps the rows of `source` that satisfy every one of `conjuncts`: compiled once, or per
  /// row for one with a correlated subquery.
  func filter(
    _ source: PlanSoFar, _ conjuncts: [Expr], outer: [CompileScope], clause: String,
    replacements: [Expr: Int] = [:]
  ) async throws -> PlanSoFar {
    guard !conjuncts.isEmpty else { return source }
    var compiler = ExpressionCompiler(
      schema: source.schema, outer: outer, session: context, clause: clause)
    compiler.replacements = replacements
    var compiled: [TypedExpr] = []
    var correlated: [Expr] = []
    for conjunct in conjuncts {
      do {
        compiled.append(try await compiler.compile(conjunct))
      } catch let error as SQLError where error.isCorrelatedReference {
        correlated.append(conjunct)
      }
    }
    let width = source.schema.columns.count
    let evaluators = try compiled.map { try $0.evaluator(width: width) }
    let build = source.executor
    let explain = source.explain
    let context = self.context
    return PlanSoFar(
      executor: {
        var executor = try build()
        if !evaluators.isEmpty { executor = SelectionExecutor(executor, conditions: evaluators) }
        if !correlated.isEmpty {
          executor = MapExecutor(executor) { row in
            var bound = compiler
            bound.scopes[0].row = row
            for conjunct in correlated {
              let condition = try await bound.compile(conjunct).evaluator(width: width)
              if !(try condition.holds(row)) { return nil }
            }
            _ = context
            return row
          }
        }
        return executor
      },
      schema: source.schema,
      explain: {
        let text = conjuncts.map(\.description).joined(separator: " AND ")
        return ExplainNode(name: "Selection", task: "root", info: text, children: [explain()])
      },
      access: nil)
  }
}

/// A plan being built: its executor so far, its rows' columns, its EXPLAIN tree, and the table
/// read when it is still one table's read (so more can be pushed down into it).
struct PlanSoFar {
  var executor: () throws -> any Executor
  var schema: PlanSchema
  var explain: () -> ExplainNode
  /// The read of a single table, while nothing but the read has been planned.
  var access: TableAccess?
}
