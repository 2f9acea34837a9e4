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
    request(
      scanning: [Tipb_ColumnInfo(id: 1, type: .longlong, pkHandle: true)],
      then: aggregation(.aggregate(.count, .constant(.int(1)))))
  }

  /// `SELECT sum(v) FROM bench WHERE k < 10`: a scan of k and v, a selection, a sum.
  static var filteredSumRequest: Tipb_DAGRequest {
    var selection = Tipb_Executor()
    selection.tp = .typeSelection
    selection.selection.conditions = [.call(.ltint, .column(0), .constant(.int(10)))]
    return request(
      scanning: [Tipb_ColumnInfo(id: 2, type: .long), Tipb_ColumnInfo(id: 3, type: .double)],
      then: selection, aggregation(.aggregate(.sum, .column(1))))
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
  ) -> Tipb_DAGRequest {
    var scan = Tipb_Executor()
    scan.tp = .typeTableScan
    scan.tblScan.tableID = tableID
    scan.tblScan.columns = columns
    var dag = Tipb_DAGRequest()
    dag.executors = [scan] + executors
    dag.outputOffsets = [0]
    return dag
  }

  private static func aggregation(_ function: Tipb_Expr) -> Tipb_Executor {
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
