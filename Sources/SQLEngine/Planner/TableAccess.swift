import Coprocessor
import Foundation
import SQLParser
import TipbProto

/// How one table's rows are read, and what is pushed down to the stores with the read.
///
/// Rows come out as every column of the table (in `ColumnInfo.offset` order) then the handle:
/// the schema `schema` describes, with the handle and the columns not yet public hidden.
final class TableAccess {
  /// The ways to reach the rows (`AccessPaths` picks one).
  enum Path {
    /// Point gets by handle (`id = 1`, `id IN (1, 2)`).
    case handles([Int64])
    /// An index's entries over key ranges, then the rows by handle (an index lookup).
    case index(IndexInfo, ranges: [(start: Data, end: Data)], conditions: [Expr])
    /// The rows in handle ranges (all of them for the whole table), through the coprocessor.
    case rows(ranges: [(start: Data, end: Data)], description: String)
  }

  let table: TableInfo
  let database: String
  let alias: String
  let schema: PlanSchema
  var path: Path
  /// The transaction wrote this table: reads go through key-value scans merged with its
  /// writes, and nothing is pushed down.
  let dirty: Bool
  /// Conditions every row returned satisfies: pushed down with a coprocessor read, else
  /// checked at the root.
  var conditions: [TypedExpr] = []
  /// An index path whose entries hold every column the statement reads: the rows are not
  /// fetched (a covering index read).
  var covering = false
  /// A pushed-down partial aggregation: its functions, its group-by items, its output width.
  var aggregation: (functions: [Tipb_Expr], groupBy: [Tipb_Expr], width: Int)?
  /// A pushed-down TopN or limit: each region returns at most `limit` rows.
  var topN: (keys: [(expr: Tipb_Expr, descending: Bool)], limit: UInt64)?

  init(table: TableInfo, database: String, alias: String, path: Path, dirty: Bool) {
    self.table = table
    self.database = database
    self.alias = alias
    self.path = path
    self.dirty = dirty
    var columns = table.columns.map { column in
      PlanColumn(
        table: alias, database: database, name: column.name, type: column.type,
        hidden: column.state != .public, originalTable: table.name, originalName: column.name)
    }
    columns.append(
      PlanColumn(
        table: alias, database: database, name: "_tidb_rowid", type: FieldType(.longlong),
        hidden: true))
    schema = PlanSchema(columns: columns)
  }

  /// Whether work can be pushed down with this read (a coprocessor read of a clean table).
  var pushesDown: Bool {
    if case .rows = path, !dirty { return true }
    return false
  }

  /// The width of the rows this access hands out.
  var outputWidth: Int { aggregation?.width ?? schema.columns.count }

  /// The executors that read the rows (and check the conditions not pushed down).
  func executor(_ context: ExecutionContext) throws -> any Executor {
    let width = schema.columns.count
    let source: any Executor
    switch path {
    case .handles(let handles):
      source = HandleReader(
        txn: context.txn, table: table, handles: RowsExecutor(handles.map { [.int($0)] }))
    case .index(let index, let ranges, _) where covering:
      source = IndexHandleScan(
        txn: context.txn, index: index, ranges: ranges, rowsOf: table)
    case .index(let index, let ranges, _):
      source = HandleReader(
        txn: context.txn, table: table,
        handles: IndexHandleScan(txn: context.txn, index: index, ranges: ranges))
    case .rows(let ranges, _) where dirty:
      source = TableScanExecutor(txn: context.txn, table: table, ranges: ranges)
    case .rows(let ranges, _):
      return CoprocessorReader(txn: context.txn, dag: dag(), ranges: ranges, width: outputWidth)
    }
    guard !conditions.isEmpty else { return source }
    return SelectionExecutor(
      source, conditions: try conditions.map { try $0.evaluator(width: width) })
  }

  /// The coprocessor request: scan, selection, then aggregation or TopN/limit.
  func dag() -> Tipb_DAGRequest {
    var scan = Tipb_Executor()
    scan.tp = .typeTableScan
    scan.tblScan.tableID = table.id
    scan.tblScan.columns =
      table.columns.map { TableCodec.tipbColumn($0, in: table) } + [TableCodec.extraHandleColumn]
    var executors = [scan]
    if !conditions.isEmpty {
      var selection = Tipb_Executor()
      selection.tp = .typeSelection
      selection.selection.conditions = conditions.map(\.pb)
      executors.append(selection)
    }
    if let aggregation {
      var executor = Tipb_Executor()
      executor.tp = .typeAggregation
      executor.aggregation.aggFunc = aggregation.functions
      executor.aggregation.groupBy = aggregation.groupBy
      executors.append(executor)
    } else if let topN, !topN.keys.isEmpty {
      var executor = Tipb_Executor()
      executor.tp = .typeTopN
      executor.topN.limit = topN.limit
      executor.topN.orderBy = topN.keys.map { key in
        var item = Tipb_ByItem()
        item.expr = key.expr
        item.desc = key.descending
        return item
      }
      executors.append(executor)
    } else if let topN {
      var executor = Tipb_Executor()
      executor.tp = .typeLimit
      executor.limit.limit = topN.limit
      executors.append(executor)
    }
    var dag = Tipb_DAGRequest()
    dag.executors = executors
    dag.outputOffsets = (0..<UInt32(outputWidth)).map { $0 }
    return dag
  }

  /// EXPLAIN's view of the read.
  func explain(conditions conditionExprs: [Expr]) -> ExplainNode {
    let conditionText = conditionExprs.map(\.description).joined(separator: " AND ")
    let name = "\(database).\(table.name)" + (alias == table.name ? "" : " AS \(alias)")
    switch path {
    case .handles(let handles):
      var node = ExplainNode(
        name: handles.count == 1 ? "Point_Get" : "Batch_Point_Get", task: "root",
        info: "table:\(name), handle:\(handles.map(String.init).joined(separator: ","))")
      if !conditions.isEmpty { node = selection(node, conditionText, task: "root") }
      return node
    case .index(let index, _, let ranges):
      let description = "range:" + ranges.map(\.description).joined(separator: " AND ")
      let scan = ExplainNode(
        name: "IndexScan", task: "kv", info: "table:\(name), index:\(index.name), \(description)")
      var node =
        covering
        ? ExplainNode(name: "IndexReader", task: "root", info: "covering", children: [scan])
        : ExplainNode(
          name: "IndexLookUp", task: "root", info: "",
          children: [scan, ExplainNode(name: "TableRowIDScan", task: "kv", info: "table:\(name)")])
      if !conditions.isEmpty { node = selection(node, conditionText, task: "root") }
      return node
    case .rows(_, let description) where dirty:
      var node = ExplainNode(
        name: "UnionScan", task: "root", info: "table:\(name), \(description), own writes merged")
      if !conditions.isEmpty { node = selection(node, conditionText, task: "root") }
      return node
    case .rows(_, let description):
      var cop = ExplainNode(name: "TableScan", task: "cop", info: "table:\(name), \(description)")
      if !conditions.isEmpty { cop = selection(cop, conditionText, task: "cop") }
      if let aggregation {
        cop = ExplainNode(
          name: "HashAgg", task: "cop",
          info:
            "partial: \(aggregation.functions.count) function(s), group by \(aggregation.groupBy.count)",
          children: [cop])
      } else if let topN {
        cop = ExplainNode(
          name: topN.keys.isEmpty ? "Limit" : "TopN", task: "cop", info: "limit:\(topN.limit)",
          children: [cop])
      }
      return ExplainNode(name: "TableReader", task: "root", info: "pushed down", children: [cop])
    }
  }

  private func selection(_ child: ExplainNode, _ text: String, task: String) -> ExplainNode {
    ExplainNode(name: "Selection", task: task, info: text, children: [child])
  }
}
