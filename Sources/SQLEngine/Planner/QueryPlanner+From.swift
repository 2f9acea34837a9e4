import Coprocessor
import SQLParser
import TipbProto

extension QueryPlanner {
  /// FROM: each table read (taking the conditions of `conjuncts` that concern it alone), the
  /// inner and comma joins as hash joins on the equalities between their sides; what no read or
  /// join took stays in `conjuncts`.
  /// - Parameter needed: the names of the columns the statement reads (nil: all), so that an
  ///   index holding all of them is read without its rows.
  func planFrom(
    _ from: [TableReference], conjuncts: inout [Expr], outer: [CompileScope],
    needed: Set<String>? = nil
  ) async throws -> PlanSoFar {
    guard !from.isEmpty else {
      return PlanSoFar(
        executor: { RowsExecutor([[]]) }, schema: PlanSchema(columns: []),
        explain: { ExplainNode(name: "TableDual", task: "root", info: "rows:1") }, access: nil)
    }
    var items: [TableReference] = []
    for reference in from { flatten(reference, into: &items, conditions: &conjuncts) }
    var plans: [PlanSoFar] = []
    for item in items {
      plans.append(try await planItem(item, conjuncts: &conjuncts, outer: outer, needed: needed))
    }
    var current = plans[0]
    for next in plans.dropFirst() {
      current = try await join(current, next, kind: .inner, conjuncts: &conjuncts, outer: outer)
    }
    return current
  }

  /// Inner joins with ON (and comma lists) become one list of items and a pool of conditions.
  private func flatten(
    _ reference: TableReference, into items: inout [TableReference], conditions: inout [Expr]
  ) {
    if case .join(let join) = reference, join.kind == .inner || join.kind == .straight {
      switch join.condition {
      case .on(let expr)?:
        flatten(join.left, into: &items, conditions: &conditions)
        flatten(join.right, into: &items, conditions: &conditions)
        conditions += ExprWalker.conjuncts(expr)
        return
      case nil:
        flatten(join.left, into: &items, conditions: &conditions)
        flatten(join.right, into: &items, conditions: &conditions)
        return
      default:
        break
      }
    }
    items.append(reference)
  }

  private func planItem(
    _ reference: TableReference, conjuncts: inout [Expr], outer: [CompileScope],
    needed: Set<String>?
  ) async throws -> PlanSoFar {
    switch reference {
    case .table(let name, let alias, _):
      return try await planTable(
        name, alias: alias, conjuncts: &conjuncts, outer: outer, needed: needed)
    case .derived(let query, let alias):
      let planned = try await plan(query, outer: outer)
      var schema = planned.schema
      for i in schema.columns.indices {
        schema.columns[i].table = alias
        schema.columns[i].database = nil
      }
      let executor = planned.executor
      return PlanSoFar(
        executor: { executor }, schema: schema,
        explain: {
          ExplainNode(
            name: "Subquery", task: "root", info: "as \(alias)", children: [planned.explain])
        }, access: nil)
    case .join(let join):
      var none: [Expr] = []
      let left = try await planFrom([join.left], conjuncts: &none, outer: outer, needed: needed)
      let right = try await planFrom([join.right], conjuncts: &none, outer: outer, needed: needed)
      if !none.isEmpty {
        throw SQLError.internalError("conditions left inside a join's side")
      }
      var on: [Expr] = []
      if case .on(let expr)? = join.condition { on = ExprWalker.conjuncts(expr) }
      let kind: JoinPlanKind = join.kind == .left ? .left : join.kind == .right ? .right : .inner
      var names: [String] = []
      switch join.condition {
      case .using(let columns)?: names = columns
      case .natural?:
        names = left.schema.columns.filter { !$0.hidden }.map(\.name).filter { name in
          right.schema.columns.contains { !$0.hidden && $0.name.lowercased() == name.lowercased() }
        }
      default: break
      }
      var keys: [(Int, Int)] = []
      for name in names {
        let reference = ColumnName(name: name)
        guard let l = try left.schema.resolve(reference, clause: "from clause"),
          let r = try right.schema.resolve(reference, clause: "from clause")
        else { throw SQLError.unknownColumn(name, in: "from clause") }
        keys.append((l, r))
      }
      var joined = try await self.join(
        left, right, kind: kind, conjuncts: &on, outer: outer, columnKeys: keys)
      if !on.isEmpty {
        // An ON condition that refers to neither side's columns (an outer query's, say).
        throw SQLError.unsupported("this ON condition of an outer join: \(on[0])")
      }
      if !names.isEmpty {
        joined = coalesce(joined, left: left, right: right, keys: keys, kind: kind)
      }
      return joined
    }
  }

  private func planTable(
    _ name: TableName, alias: String?, conjuncts: inout [Expr], outer: [CompileScope],
    needed: Set<String>?
  ) async throws -> PlanSoFar {
    let (database, table) = try context.table(name)
    let range = TableCodec.tableRange(table.id)
    let dirty = !context.txn.bufferedWrites(from: range.start, to: range.end).isEmpty
    let probe = TableAccess(
      table: table, database: database, alias: alias ?? table.name,
      path: .rows(ranges: [], description: ""), dirty: dirty)
    // The conditions over this table alone (no subqueries) go with its read.
    let mine = conjuncts.filter { ExprWalker.isCovered($0, by: probe.schema) }
    conjuncts.removeAll { ExprWalker.isCovered($0, by: probe.schema) }
    let compiler = ExpressionCompiler(
      schema: probe.schema, outer: outer, session: context, clause: "where clause")
    let (path, covered) = try await AccessPaths(
      table: table, schema: probe.schema, compiler: compiler
    ).choose(mine)
    probe.path = path
    if case .index(let index, _, _) = path, let needed {
      // Every column read is in the index (or is the handle): the entries are enough.
      let held = Set(index.columns.map { $0.name.lowercased() })
        .union(table.handleColumn.map { [$0.name.lowercased()] } ?? [])
      let own = Set(table.columns.map { $0.name.lowercased() })
      probe.covering = needed.intersection(own).isSubset(of: held)
    }
    for (index, conjunct) in mine.enumerated() where !covered.contains(index) {
      probe.conditions.append(try await compiler.compile(conjunct))
    }
    let context = self.context
    return PlanSoFar(
      executor: { try probe.executor(context) }, schema: probe.schema,
      explain: { probe.explain(conditions: mine) }, access: probe)
  }
}

/// How two plans join.
enum JoinPlanKind {
  case inner, left, right
}

extension QueryPlanner {
  /// `left` joined with `right`: a hash join on the equalities in `conjuncts` between a
  /// column expression of each side (a nested loop without any), the other conditions over
  /// both sides checked on each pair. Takes from `conjuncts` what it uses.
  func join(
    _ left: PlanSoFar, _ right: PlanSoFar, kind: JoinPlanKind, conjuncts: inout [Expr],
    outer: [CompileScope], columnKeys: [(Int, Int)] = []
  ) async throws -> PlanSoFar {
    let combined = PlanSchema(columns: left.schema.columns + right.schema.columns)
    var leftKeys: [TypedExpr] = []
    var rightKeys: [TypedExpr] = []
    var others: [TypedExpr] = []
    var used: [Expr] = []
    let leftCompiler = ExpressionCompiler(
      schema: left.schema, outer: outer, session: context, clause: "on clause")
    let rightCompiler = ExpressionCompiler(
      schema: right.schema, outer: outer, session: context, clause: "on clause")
    let bothCompiler = ExpressionCompiler(
      schema: combined, outer: outer, session: context, clause: "on clause")
    for conjunct in conjuncts where ExprWalker.isCovered(conjunct, by: combined) {
      used.append(conjunct)
      if case .binary(.equal, let a, let b) = conjunct {
        let aLeft = ExprWalker.isCovered(a, by: left.schema)
        let bRight = ExprWalker.isCovered(b, by: right.schema)
        let aRight = ExprWalker.isCovered(a, by: right.schema)
        let bLeft = ExprWalker.isCovered(b, by: left.schema)
        if (aLeft && bRight) || (aRight && bLeft) {
          var l = try await leftCompiler.compile(aLeft && bRight ? a : b)
          var r = try await rightCompiler.compile(aLeft && bRight ? b : a)
          let kind = ExpressionCompiler.comparisonKind(l, r)
          (l, r) = (l.cast(to: kind), r.cast(to: kind))
          leftKeys.append(l)
          rightKeys.append(r)
          continue
        }
      }
      others.append(try await bothCompiler.compile(conjunct))
    }
    conjuncts.removeAll { used.contains($0) }
    for (l, r) in columnKeys {
      let a = TypedExpr.column(l, left.schema.columns[l].type)
      let b = TypedExpr.column(r, right.schema.columns[r].type)
      let kind = ExpressionCompiler.comparisonKind(a, b)
      leftKeys.append(a.cast(to: kind))
      rightKeys.append(b.cast(to: kind))
    }
    let leftWidth = left.schema.columns.count
    let rightWidth = right.schema.columns.count
    let leftEvaluators = try leftKeys.map { try $0.evaluator(width: leftWidth) }
    let rightEvaluators = try rightKeys.map { try $0.evaluator(width: rightWidth) }
    let conditions = try others.map { try $0.evaluator(width: leftWidth + rightWidth) }
    let (buildLeft, buildRight) = (left.executor, right.executor)
    let info =
      (leftKeys.isEmpty ? "cartesian" : "equal:\(leftKeys.count) key(s)")
      + (others.isEmpty ? "" : ", other conditions:\(others.count)")
    let (explainLeft, explainRight) = (left.explain, right.explain)
    let merge =
      kind != .right && leftKeys.count == 1
      && Self.readsInHandleOrder(left, key: leftKeys[0])
      && Self.readsInHandleOrder(right, key: rightKeys[0])
    let name =
      (merge ? "MergeJoin" : leftKeys.isEmpty ? "NestedLoopJoin" : "HashJoin")
      + (kind == .left ? " (left outer)" : kind == .right ? " (right outer)" : "")
    return PlanSoFar(
      executor: {
        if merge {
          return MergeJoinExecutor(
            left: try buildLeft(), right: try buildRight(), leftKey: leftEvaluators[0],
            rightKey: rightEvaluators[0], conditions: conditions, keepUnmatched: kind == .left,
            rightWidth: rightWidth)
        }
        switch kind {
        case .inner, .left:
          return HashJoinExecutor(
            outer: try buildLeft(), inner: try buildRight(), outerKeys: leftEvaluators,
            innerKeys: rightEvaluators, conditions: conditions,
            kind: kind == .left ? .outer : .inner, outerIsLeft: true, innerWidth: rightWidth)
        case .right:
          return HashJoinExecutor(
            outer: try buildRight(), inner: try buildLeft(), outerKeys: rightEvaluators,
            innerKeys: leftEvaluators, conditions: conditions, kind: .outer, outerIsLeft: false,
            innerWidth: leftWidth)
        }
      },
      schema: combined,
      explain: {
        ExplainNode(
          name: name, task: "root", info: info, children: [explainLeft(), explainRight()])
      },
      access: nil)
  }

  /// Whether `plan` is a table read whose rows come in ascending order of `key`: the read of a
  /// whole table or a handle range (region by region, in key order) and `key` its integer
  /// primary key.
  private static func readsInHandleOrder(_ plan: PlanSoFar, key: TypedExpr) -> Bool {
    guard let access = plan.access, case .rows = access.path, access.aggregation == nil,
      access.topN == nil, let handle = access.table.handleColumn, !handle.type.unsigned
    else { return false }
    return key.pb == Tipb_Expr.column(Int64(handle.offset))
  }

  /// `USING (names)` / `NATURAL`: each named column once (the preserved side's value), then
  /// the other columns of the left, then of the right (MySQL's order).
  private func coalesce(
    _ joined: PlanSoFar, left: PlanSoFar, right: PlanSoFar, keys: [(Int, Int)],
    kind: JoinPlanKind
  ) -> PlanSoFar {
    let width = left.schema.columns.count
    var offsets: [Int] = keys.map { kind == .right ? width + $0.1 : $0.0 }
    var columns: [PlanColumn] = offsets.map { joined.schema.columns[$0] }
    for i in columns.indices { columns[i].table = nil }
    // Then the preserved side's other columns (the right's for a RIGHT join), then the other's.
    let leftRest = left.schema.columns.indices.filter { i in !keys.contains { $0.0 == i } }
    let rightRest = right.schema.columns.indices.filter { i in !keys.contains { $0.1 == i } }
    let rest =
      kind == .right
      ? rightRest.map { width + $0 } + leftRest : leftRest + rightRest.map { width + $0 }
    for offset in rest {
      offsets.append(offset)
      columns.append(joined.schema.columns[offset])
    }
    // The merged columns stay reachable by their tables' names.
    for (l, r) in keys {
      for offset in [l, width + r] {
        var column = joined.schema.columns[offset]
        column.qualifiedOnly = true
        offsets.append(offset)
        columns.append(column)
      }
    }
    let build = joined.executor
    let expressions = offsets.map { Expression.column($0) }
    return PlanSoFar(
      executor: { ProjectionExecutor(try build(), expressions: expressions) },
      schema: PlanSchema(columns: columns), explain: joined.explain, access: nil)
  }
}
