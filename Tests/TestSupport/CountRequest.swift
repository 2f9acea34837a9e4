import Coprocessor
import Foundation
import TipbProto

/// `SELECT count(*) FROM t{table}` as TinySQL pushes it down: a table scan of the integer
/// primary key (the handle), then a count of a constant 1; one output column.
public func countRequest(table: Int64) -> Tipb_DAGRequest {
  var scan = Tipb_Executor()
  scan.tp = .typeTableScan
  scan.tblScan.tableID = table
  scan.tblScan.columns = [Tipb_ColumnInfo(id: 1, type: .longlong, pkHandle: true)]
  var aggregation = Tipb_Executor()
  aggregation.tp = .typeAggregation
  aggregation.aggregation.aggFunc = [.aggregate(.count, .constant(.int(1)))]
  var dag = Tipb_DAGRequest()
  dag.executors = [scan, aggregation]
  dag.outputOffsets = [0]
  return dag
}

/// The count a `countRequest` answer carries; nil for an answer without rows.
public func count(in selectResponse: Data) throws -> Int64? {
  let select = try Tipb_SelectResponse(serializedBytes: selectResponse)
  guard let chunk = select.chunks.first else { return nil }
  var reader = ByteReader(chunk.rowsData)
  guard case .int(let value) = try reader.datum() else { return nil }
  return value
}
