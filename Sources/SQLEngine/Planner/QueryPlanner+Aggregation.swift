import Coprocessor
import SQLParser
import TipbProto

extension QueryPlanner {
  /// GROUP BY and the aggregates: a hash aggregation whose rows are the aggregates' results,
  /// then the first value of every source column (so a column neither grouped nor aggregated
  /// reads its group's first row, as MySQL without ONLY_FULL_GROUP_BY), then the group-by
  /// values. With one clean table read, the partial aggregation runs in the stores and the
  /// root merges the regions' partials.
  /// - Returns: the plan and where each aggregate and group-by item landed.
  func aggregate(
    _ source: PlanSoFar, _ select: SelectStatement, orderBy: [OrderItem],
    aggregates: [AggregateCall], outer: [CompileScope]
  ) async throws -> (PlanSoFar, [Expr: Int]) {
    var calls: [AggregateCall] = []
    for call in aggregates where !calls.contains(call) { calls.append(call) }
    let groupBy = try select.groupBy.map { try groupItem($0, select, source: source.schema) }
    let compiler = ExpressionCompiler(
      schema: source.schema, outer: outer, session: context, clause: "group statement")
    var planned: [(call: AggregateCall, arguments: [TypedExpr], type: FieldType)] = []
    for call in calls {
      guard [AggregateFunction.count, .sum, .avg, .min, .max, .groupConcat].contains(call.function)
      else {
        throw SQLError.unsupported(call.function.rawValue.uppercased())
      }
      var arguments: [TypedExpr] = []
      for argument in call.arguments {
        if !ExprWalker.aggregates(argument).isEmpty { throw SQLError.invalidGroupFunction }
        arguments.append(try await compiler.compile(argument))
      }
      let type: FieldType =
        switch call.function {
        case .count: FieldType(.longlong, length: 21)
        case .sum: arguments[0].kind == .int ? FieldType(.longlong, length: 21) : FieldType(.double)
        case .avg: FieldType(.double)
        case .groupConcat: FieldType(.blob, length: 1024)
        default: arguments[0].type
        }
      planned.append((call, arguments, type))
    }
    var groups: [TypedExpr] = []
    for item in groupBy { groups.append(try await compiler.compile(item)) }
    // The first row of each source column a field, HAVING or ORDER BY names outside an
    // aggregate (all of them for `*`).
    var named: [Expr] = select.fields.compactMap { field in
      if case .expression(let expr, _, _) = field { return expr }
      return nil
    }
    named += (select.having.map { [$0] } ?? []) + orderBy.map(\.expr)
    let wildcard = select.fields.contains { if case .wildcard = $0 { true } else { false } }
    var wanted = Set<Int>()
    for expr in named {
      for name in ExprWalker.columnsOutsideAggregates(expr) {
        if let offset = try? source.schema.resolve(name, clause: "") { wanted.insert(offset) }
      }
    }
    let visible = source.schema.columns.indices.filter {
      !source.schema.columns[$0].hidden && (wildcard || wanted.contains($0))
    }

    // The output schema: aggregates, first rows, group-by values.
    var columns: [PlanColumn] = planned.map {
      PlanColumn(name: $0.call.description, type: $0.type, hidden: true)
    }
    columns += visible.map { source.schema.columns[$0] }
    columns += groups.map { PlanColumn(name: "", type: $0.type, hidden: true) }
    var replacements: [Expr: Int] = [:]
    for (i, call) in calls.enumerated() { replacements[.aggregate(call)] = i }
    for (i, item) in groupBy.enumerated() {
      replacements[item] = planned.count + visible.count + i
    }

    let width = source.schema.columns.count
    let distinct = planned.contains { $0.call.distinct || $0.call.function == .groupConcat }
    let info =
      calls.map(\.description).joined(separator: ", ")
      + (groupBy.isEmpty ? "" : " group by " + groupBy.map(\.description).joined(separator: ", "))
    if let access = source.access, access.pushesDown, !distinct {
      // Partials in the stores: count, sum, avg (count then sum), min, max, first rows; then
      // the group-by values.
      var functions: [Tipb_Expr] = []
      var finals: [PlannedAggregate] = []
      var offset = 0
      for item in planned {
        let args = item.arguments.map(\.pb)
        switch item.call.function {
        case .count:
          functions.append(
            Self.aggregate(.count, args.isEmpty ? [Tipb_Expr.constant(.int(1))] : args))
          finals.append(PlannedAggregate(function: .sumCounts, arguments: [.column(offset)]))
          offset += 1
        case .avg:
          functions.append(Self.aggregate(.avg, args))
          finals.append(
            PlannedAggregate(
              function: .mergeAvg, arguments: [.column(offset), .column(offset + 1)]))
          offset += 2
        default:
          let tp: Tipb_ExprType =
            item.call.function == AggregateFunction.sum
            ? .sum : item.call.function == AggregateFunction.min ? .min : .max
          functions.append(Self.aggregate(tp, args))
          let kind: AggregateKind =
            item.call.function == AggregateFunction.sum
            ? .sum : item.call.function == AggregateFunction.min ? .min : .max
          finals.append(PlannedAggregate(function: kind, arguments: [.column(offset)]))
          offset += 1
        }
      }
      for column in visible {
        functions.append(Self.aggregate(.first, [.column(Int64(column))]))
        finals.append(PlannedAggregate(function: .firstRow, arguments: [.column(offset)]))
        offset += 1
      }
      access.aggregation = (functions, groups.map(\.pb), offset + groups.count)
      let finalGroups = groups.indices.map { Expression.column(offset + $0) }
      return (
        rootAggregation(
          source, calls: finals, groupBy: finalGroups, columns: columns, info: "final: " + info),
        replacements
      )
    }
    var rootCalls: [PlannedAggregate] = []
    for item in planned {
      let kind: AggregateKind =
        switch item.call.function {
        case .count: .count
        case .sum: .sum
        case .avg: .avg
        case .min: .min
        case .groupConcat: .groupConcat
        default: .max
        }
      var call = PlannedAggregate(
        function: kind, arguments: try item.arguments.map { try $0.evaluator(width: width) },
        distinct: item.call.distinct)
      if kind == .groupConcat {
        call.separator = item.call.separator ?? Array(",".utf8)
        for key in item.call.orderBy {
          call.orderBy.append(
            (try await compiler.compile(key.expr).evaluator(width: width), key.descending))
        }
      }
      rootCalls.append(call)
    }
    rootCalls += visible.map { PlannedAggregate(function: .firstRow, arguments: [.column($0)]) }
    let evaluators = try groups.map { try $0.evaluator(width: width) }
    return (
      rootAggregation(source, calls: rootCalls, groupBy: evaluators, columns: columns, info: info),
      replacements
    )
  }

  /// The hash aggregation at the root over `source`'s rows.
  private func rootAggregation(
    _ source: PlanSoFar, calls: [PlannedAggregate], groupBy: [Expression], columns: [PlanColumn],
    info: String
  ) -> PlanSoFar {
    let (build, explainSource) = (source.executor, source.explain)
    return PlanSoFar(
      executor: { HashAggregateExecutor(try build(), calls: calls, groupBy: groupBy) },
      schema: PlanSchema(columns: columns),
      explain: {
        ExplainNode(name: "HashAgg", task: "root", info: info, children: [explainSource()])
      }, access: nil)
  }

  /// The aggregate function `tp` of `children`, as a push-down request carries it.
  static func aggregate(_ tp: Tipb_ExprType, _ children: [Tipb_Expr]) -> Tipb_Expr {
    var expr = Tipb_Expr()
    expr.tp = tp
    expr.children = children
    return expr
  }

  /// A GROUP BY item: `GROUP BY 2` is the second field's expression, and a name that is no
  /// source column but a field's alias is that field's expression.
  func groupItem(_ item: Expr, _ select: SelectStatement, source: PlanSchema) throws -> Expr {
    if case .literal(.integer(let position)) = item {
      guard position >= 1, position <= select.fields.count,
        case .expression(let expr, _, _) = select.fields[Int(position) - 1]
      else {
        throw SQLError.unknownColumn(String(position), in: "group statement")
      }
      return expr
    }
    if case .column(let name) = item, name.table == nil,
      (try? source.resolve(name, clause: "")) == nil
    {
      for field in select.fields {
        if case .expression(let expr, let alias?, _) = field,
          alias.lowercased() == name.name.lowercased(), expr != item
        {
          return expr
        }
      }
    }
    return item
  }
}
