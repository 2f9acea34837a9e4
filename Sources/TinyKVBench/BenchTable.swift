import Coprocessor
import Foundation
import TipbProto

/// The table the push-down benchmark reads, stored as TinySQL stores it: `bench(id BIGINT
/// PRIMARY KEY, k INT, v DOUBLE)` with table id 100; row `h` has `k = h % 100` and `v = h`.
enum BenchTable {
  static let tableID: Int64 = 100

  /// The key and value of row `handle`.
  static func row(_ handle: Int64) throws -> (key: Data, value: Data) {
    let value = try EncodedRow.encode([(2, .int(handle % 100)), (3, .float(Double(handle)))])
    return (Data(TableKeys.record(table: tableID, handle: handle)), Data(value))
  }

  /// Every row's range.
  static var range: (start: Data, end: Data) {
    (
      Data(TableKeys.recordPrefix(table: tableID)),
      Data(TableKeys.recordPrefix(table: tableID + 1))
    )
  }

  /// `SELECT count(*) FROM bench`: a scan of the handle alone, then a count.
  static var countRequest: Tipb_DAGRequest {
    get throws {
      try request(
        scanning: [column(1, .longlong, pkHandle: true)], then: aggregation(.count, constant(1)))
    }
  }

  /// `SELECT sum(v) FROM bench WHERE k < 10`: a scan of k and v, a selection, a sum.
  static var filteredSumRequest: Tipb_DAGRequest {
    get throws {
      var selection = Tipb_Executor()
      selection.tp = .typeSelection
      selection.selection.conditions = [function(.ltint, columnRef(0), constant(10))]
      return try request(
        scanning: [column(2, .long), column(3, .double)], then: selection,
        aggregation(.sum, columnRef(1)))
    }
  }

  /// The expected answers over rows 1...rows.
  static func expectedCount(_ rows: Int) -> Int64 { Int64(rows) }
  static func expectedFilteredSum(_ rows: Int) -> Double {
    guard rows > 0 else { return 0 }
    return (1...rows).reduce(0.0) { $1 % 100 < 10 ? $0 + Double($1) : $0 }
  }

  /// The one-row answers of every region added up: each region's first column.
  static func mergedFirstColumn(_ answers: [Data]) throws -> (count: Int64, sum: Double) {
    var count: Int64 = 0
    var sum = 0.0
    for answer in answers {
      let select = try Tipb_SelectResponse(serializedBytes: answer)
      if select.hasError { throw BenchTableError("the store answered \(select.error.msg)") }
      for chunk in select.chunks {
        var reader = ByteReader(chunk.rowsData)
        while !reader.isEmpty {
          switch try reader.datum() {
          case .int(let value): count += value
          case .float(let value): sum += value
          case .null: break
          case let other: throw BenchTableError("an answer of \(other)")
          }
        }
      }
    }
    return (count, sum)
  }

  private static func request(
    scanning columns: [Tipb_ColumnInfo], then executors: Tipb_Executor...
  ) throws -> Tipb_DAGRequest {
    var scan = Tipb_Executor()
    scan.tp = .typeTableScan
    scan.tblScan.tableID = tableID
    scan.tblScan.columns = columns
    var dag = Tipb_DAGRequest()
    dag.executors = [scan] + executors
    dag.outputOffsets = [0]
    return dag
  }

  private static func column(
    _ id: Int64, _ type: MySQLType, pkHandle: Bool = false
  ) -> Tipb_ColumnInfo {
    var info = Tipb_ColumnInfo()
    info.columnID = id
    info.tp = type.rawValue
    info.pkHandle = pkHandle
    return info
  }

  private static func comparableInt(_ value: Int64) -> Data {
    var bytes: [UInt8] = []
    NumberCodec.appendInt(value, to: &bytes)
    return Data(bytes)
  }

  private static func constant(_ value: Int64) -> Tipb_Expr {
    var expr = Tipb_Expr()
    expr.tp = .int64
    expr.val = comparableInt(value)
    return expr
  }

  private static func columnRef(_ offset: Int64) -> Tipb_Expr {
    var expr = Tipb_Expr()
    expr.tp = .columnRef
    expr.val = comparableInt(offset)
    return expr
  }

  private static func function(_ sig: Tipb_ScalarFuncSig, _ children: Tipb_Expr...) -> Tipb_Expr {
    var expr = Tipb_Expr()
    expr.tp = .scalarFunc
    expr.sig = sig
    expr.children = children
    return expr
  }

  private static func aggregation(_ tp: Tipb_ExprType, _ argument: Tipb_Expr) -> Tipb_Executor {
    var function = Tipb_Expr()
    function.tp = tp
    function.children = [argument]
    var executor = Tipb_Executor()
    executor.tp = .typeAggregation
    executor.aggregation.aggFunc = [function]
    return executor
  }
}

/// An answer the benchmark did not expect.
struct BenchTableError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
