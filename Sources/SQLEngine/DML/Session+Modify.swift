import Coprocessor
import SQLParser

extension Session {
  /// UPDATE: each matching row (in ORDER BY order, up to LIMIT) gets the assignments, left to
  /// right, each seeing the ones before it (MySQL's order); rows left unchanged do not count.
  func runUpdate(_ update: UpdateStatement, _ context: ExecutionContext) async throws
    -> StatementResult
  {
    let (table, database, source, rows) = try await DMLReader(context: context).matching(
      update.table, alias: update.alias, where: update.whereClause, orderBy: update.orderBy,
      limit: update.limit)
    let compiler = ExpressionCompiler(schema: source.schema, session: context, clause: "field list")
    let width = source.schema.columns.count
    // Each value compiled once, or per row when it holds a correlated subquery.
    var assignments: [(column: ColumnInfo, value: Expression?, expr: Expr)] = []
    for assignment in update.assignments {
      guard let offset = try source.schema.resolve(assignment.column, clause: "field list") else {
        throw SQLError.unknownColumn(assignment.column.name, in: "field list")
      }
      do {
        let compiled = try await compiler.compile(assignment.value)
        assignments.append(
          (table.columns[offset], try compiled.evaluator(width: width), assignment.value))
      } catch let error as SQLError where error.isCorrelatedReference {
        assignments.append((table.columns[offset], nil, assignment.value))
      }
    }
    let writer = TableWriter(txn: context.txn, table: table, schema: database)
    var conversion = ColumnConversion(strict: variables.strict && !update.ignore)
    var changed: UInt64 = 0
    for (number, row) in rows.enumerated() {
      var current = row
      for assignment in assignments {
        var evaluator = assignment.value
        if evaluator == nil {
          var bound = compiler
          bound.scopes[0].row = current
          evaluator = try await bound.compile(assignment.expr).evaluator(width: width)
        }
        let value = try evaluator!.value(current)
        current[assignment.column.offset] = try conversion.convert(
          value, to: assignment.column, row: number + 1)
      }
      let old = Array(row.dropLast())
      let new = Array(current.dropLast())
      guard new.map(GroupKey.init) != old.map(GroupKey.init) else { continue }
      guard case .int(let handle) = row.last else { continue }
      _ = try await writer.update(old: old, new: new, handle: handle)
      changed += 1
    }
    context.wrote(table)
    context.warnings += conversion.warnings
    return .ok(
      affectedRows: changed, lastInsertID: 0,
      info: "Rows matched: \(rows.count)  Changed: \(changed)  Warnings: \(context.warnings.count)")
  }

  /// DELETE: each matching row (in ORDER BY order, up to LIMIT) and its index entries.
  func runDelete(_ delete: DeleteStatement, _ context: ExecutionContext) async throws
    -> StatementResult
  {
    let (table, database, _, rows) = try await DMLReader(context: context).matching(
      delete.table, alias: delete.alias, where: delete.whereClause, orderBy: delete.orderBy,
      limit: delete.limit)
    let writer = TableWriter(txn: context.txn, table: table, schema: database)
    for row in rows {
      guard case .int(let handle) = row.last else { continue }
      writer.delete(Array(row.dropLast()), handle: handle)
    }
    context.wrote(table)
    return .ok(affectedRows: UInt64(rows.count), lastInsertID: 0, info: "")
  }
}
