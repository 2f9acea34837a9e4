import Coprocessor
import SQLParser

extension Session {
  /// SELECT: the planned query's rows with its columns.
  func runQuery(_ query: Query, _ context: ExecutionContext) async throws -> StatementResult {
    let planned = try await QueryPlanner(context: context).plan(query)
    let rows = try await planned.executor.drain()
    return .rows(columns: planned.schema.columns.map(ResultColumn.init), rows: rows)
  }

  /// EXPLAIN: the plan tree, one operator per row (`id`, `task`, `operator info`).
  func runExplain(
    _ explain: ExplainStatement, _ context: ExecutionContext
  ) async throws -> StatementResult {
    let tree: ExplainNode
    switch explain.statement {
    case .select(let query):
      tree = try await QueryPlanner(context: context).plan(query).explain
    case .update(let update):
      let read = try await DMLReader(context: context).rows(
        of: update.table, alias: update.alias, where: update.whereClause)
      tree = ExplainNode(name: "Update", task: "root", info: "", children: [read.explain])
    case .delete(let delete):
      let read = try await DMLReader(context: context).rows(
        of: delete.table, alias: delete.alias, where: delete.whereClause)
      tree = ExplainNode(name: "Delete", task: "root", info: "", children: [read.explain])
    case .insert(let insert):
      tree = ExplainNode(name: "Insert", task: "root", info: "table:\(insert.table)")
    default:
      throw SQLError.unsupported("EXPLAIN of this statement")
    }
    let text = FieldType(.varString)
    let columns = ["id", "task", "operator info"].map {
      ResultColumn(
        name: $0, table: "", originalTable: "", originalName: $0, database: "", type: text)
    }
    let rows = tree.rows().map { row in
      [row.id, row.task, row.info].map { Datum.bytes(Array($0.utf8)) }
    }
    return .rows(columns: columns, rows: rows)
  }
}

extension ResultColumn {
  init(_ column: PlanColumn) {
    self.init(
      name: column.name, table: column.table ?? "", originalTable: column.originalTable,
      originalName: column.originalName, database: column.database ?? "", type: column.type)
  }
}
