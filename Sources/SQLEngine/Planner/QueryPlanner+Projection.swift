import Coprocessor
import SQLParser
import TipbProto

extension QueryPlanner {
  /// The SELECT list, DISTINCT, ORDER BY and LIMIT over `source`. ORDER BY items that are not
  /// output columns (by position, alias or name) are computed as hidden extra columns, sorted
  /// on, then dropped.
  func project(
    _ source: PlanSoFar, _ select: SelectStatement, orderBy: [OrderItem],
    limit: (offset: UInt64, count: UInt64)?, outer: [CompileScope], replacements: [Expr: Int]
  ) async throws -> PlannedQuery {
    var compiler = ExpressionCompiler(
      schema: source.schema, outer: outer, session: context, clause: "field list")
    compiler.replacements = replacements
    var fields: [(expr: Expr?, compiled: TypedExpr?, column: PlanColumn)] = []
    for field in select.fields {
      switch field {
      case .wildcard(let table):
        let offsets = source.schema.star(table)
        if let table, offsets.isEmpty { throw SQLError.unknownTable(table.name) }
        for offset in offsets {
          let column = source.schema.columns[offset]
          fields.append((nil, .column(offset, column.type), column))
        }
      case .expression(let expr, let alias, let text):
        var name = alias ?? text
        // MySQL names a string literal's column by the string itself.
        if alias == nil, case .literal(.string(let bytes, _)) = expr {
          name = String(decoding: bytes, as: UTF8.self)
        }
        var column = PlanColumn(name: name, type: FieldType(.null))
        if case .column(let reference) = expr, alias == nil {
          name = reference.name
          if let offset = try source.schema.resolve(reference, clause: "field list") {
            column = source.schema.columns[offset]
          }
          column.name = name
        }
        do {
          let compiled = try await compiler.compile(expr)
          column.type = compiled.type
          fields.append((expr, compiled, column))
        } catch let error as SQLError where error.isCorrelatedReference {
          column.type = FieldType(.varString)
          fields.append((expr, nil, column))
        }
        if alias != nil { fields[fields.count - 1].column.name = name }
      }
    }
    let output = PlanSchema(columns: fields.map(\.column))

    // ORDER BY: output columns where an item names one, extra columns otherwise.
    var keys: [(offset: Int, descending: Bool)] = []
    var extras: [TypedExpr] = []
    var orderCompiler = compiler
    orderCompiler.clause = "order clause"
    for item in orderBy {
      if case .literal(.integer(let position)) = item.expr {
        guard position >= 1, position <= fields.count else {
          throw SQLError.unknownColumn(String(position), in: "order clause")
        }
        keys.append((Int(position) - 1, item.descending))
        continue
      }
      if case .column(let name) = item.expr, name.table == nil,
        let offset = fields.firstIndex(where: {
          $0.column.name.lowercased() == name.name.lowercased() && $0.expr != nil
        })
      {
        keys.append((offset, item.descending))
        continue
      }
      if let offset = fields.firstIndex(where: { $0.expr == item.expr }) {
        keys.append((offset, item.descending))
        continue
      }
      extras.append(try await orderCompiler.compile(item.expr))
      keys.append((fields.count + extras.count - 1, item.descending))
    }

    // A limit, or a TopN over the table's own columns, goes down with a lone table read.
    if let access = source.access, access.pushesDown, let limit, !select.distinct {
      let total = limit.offset.addingReportingOverflow(limit.count)
      let bound = total.overflow ? UInt64.max : total.partialValue
      var pushed: [(expr: Tipb_Expr, descending: Bool)] = []
      var pushable = true
      for item in orderBy {
        let keyCompiler = ExpressionCompiler(
          schema: access.schema, outer: outer, session: context, clause: "order clause")
        guard ExprWalker.isCovered(item.expr, by: access.schema),
          let compiled = try? await keyCompiler.compile(item.expr)
        else {
          pushable = false
          break
        }
        pushed.append((compiled.pb, item.descending))
      }
      if pushable { access.topN = (pushed, bound) }
    }

    let width = source.schema.columns.count
    let correlated = fields.contains { $0.compiled == nil }
    let evaluators =
      try fields.compactMap { try $0.compiled?.evaluator(width: width) }
      + extras.map { try $0.evaluator(width: width) }
    let fieldExprs = fields.map(\.expr)
    var executor: any Executor = try source.executor()
    if correlated {
      let extraEvaluators = try extras.map { try $0.evaluator(width: width) }
      executor = MapExecutor(executor) { row in
        var bound = compiler
        bound.scopes[0].row = row
        var out: Row = []
        for (i, expr) in fieldExprs.enumerated() {
          if let expr {
            out.append(try await bound.compile(expr).evaluator(width: width).value(row))
          } else {
            out.append(try fields[i].compiled!.evaluator(width: width).value(row))
          }
        }
        for extra in extraEvaluators { out.append(try extra.value(row)) }
        return out
      }
    } else {
      executor = ProjectionExecutor(executor, expressions: evaluators)
    }
    var explain = ExplainNode(
      name: "Projection", task: "root",
      info: fields.map(\.column.name).joined(separator: ", "), children: [source.explain()])
    if select.distinct {
      executor = DistinctExecutor(executor)
      explain = ExplainNode(name: "HashAgg", task: "root", info: "distinct", children: [explain])
    }
    var planned = PlannedQuery(executor: executor, schema: output, explain: explain)
    planned = sortAndLimit(planned, keys: keys, limit: limit, visible: fields.count)
    return planned
  }

  /// ORDER BY and LIMIT over a planned query's output (a UNION's, a parenthesised query's).
  func order(
    _ planned: PlannedQuery, _ orderBy: [OrderItem], _ limit: (offset: UInt64, count: UInt64)?,
    outer: [CompileScope]
  ) async throws -> PlannedQuery {
    var keys: [(offset: Int, descending: Bool)] = []
    for item in orderBy {
      switch item.expr {
      case .literal(.integer(let position))
      where position >= 1
        && position <= planned.schema.columns.count:
        keys.append((Int(position) - 1, item.descending))
      case .column(let name):
        guard
          let offset = try planned.schema.resolve(
            ColumnName(name: name.name), clause: "order clause")
        else { throw SQLError.unknownColumn(name.name, in: "order clause") }
        keys.append((offset, item.descending))
      default:
        throw SQLError.unsupported("ORDER BY an expression over a UNION")
      }
    }
    return sortAndLimit(planned, keys: keys, limit: limit, visible: planned.schema.columns.count)
  }

  /// Sorts on `keys` (a TopN when limited), applies the limit, and drops columns past
  /// `visible`.
  private func sortAndLimit(
    _ planned: PlannedQuery, keys: [(offset: Int, descending: Bool)],
    limit: (offset: UInt64, count: UInt64)?, visible: Int
  ) -> PlannedQuery {
    var executor = planned.executor
    var explain = planned.explain
    if !keys.isEmpty {
      let total = limit.map { $0.offset.addingReportingOverflow($0.count) }
      let bound = total.map { $0.overflow ? Int.max : Int(clamping: $0.partialValue) }
      executor = SortExecutor(
        executor, keys: keys.map { (Expression.column($0.offset), $0.descending) }, limit: bound)
      explain = ExplainNode(
        name: bound == nil ? "Sort" : "TopN", task: "root",
        info: keys.map { "#\($0.offset + 1)" + ($0.descending ? " desc" : "") }.joined(
          separator: ", ")
          + (bound.map { ", limit:\($0)" } ?? ""),
        children: [explain])
    }
    if let limit {
      executor = LimitExecutor(executor, offset: limit.offset, count: limit.count)
      explain = ExplainNode(
        name: "Limit", task: "root", info: "offset:\(limit.offset), count:\(limit.count)",
        children: [explain])
    }
    var schema = planned.schema
    if schema.columns.count > visible || keys.contains(where: { $0.offset >= visible }) {
      executor = ProjectionExecutor(
        executor, expressions: (0..<visible).map { Expression.column($0) })
      schema.columns = Array(schema.columns.prefix(visible))
    }
    return PlannedQuery(executor: executor, schema: schema, explain: explain)
  }
}
