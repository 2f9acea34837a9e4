import Coprocessor
import Foundation
import TipbProto

/// Reads through the coprocessor: one DAG (a scan, then whatever was pushed down) sent over
/// the ranges to every region that holds them; each region's rows decoded in key order.
final class CoprocessorReader: Executor {
  private let txn: any KVTransaction
  private let dag: Tipb_DAGRequest
  private let ranges: [(start: Data, end: Data)]
  private let width: Int
  private var answers: [Data]?

  /// - Parameter width: the columns of each row the DAG outputs.
  init(txn: any KVTransaction, dag: Tipb_DAGRequest, ranges: [(start: Data, end: Data)], width: Int)
  {
    self.txn = txn
    self.dag = dag
    self.ranges = ranges
    self.width = width
  }

  func next() async throws -> [Row]? {
    if answers == nil {
      answers = try await txn.coprocessor(dag: try dag.serializedData(), ranges: ranges)
    }
    while !answers!.isEmpty {
      let rows = try Self.rows(of: answers!.removeFirst(), width: width)
      if !rows.isEmpty { return rows }
    }
    return nil
  }

  /// The rows of one region's `SelectResponse`.
  static func rows(of data: Data, width: Int) throws -> [Row] {
    let response = try Tipb_SelectResponse(serializedBytes: data)
    if response.hasError {
      let code = UInt16(clamping: response.error.code)
      throw SQLError(
        code: code == 1690 ? 1690 : 1105, sqlState: code == 1690 ? "22003" : "HY000",
        message: response.error.msg)
    }
    var rows: [Row] = []
    for chunk in response.chunks {
      var reader = ByteReader(chunk.rowsData)
      while !reader.isEmpty {
        var row: Row = []
        row.reserveCapacity(width)
        for _ in 0..<width { row.append(try reader.datum()) }
        rows.append(row)
      }
    }
    return rows
  }
}

/// Reads a table's rows through plain key-value scans merged with the transaction's own
/// writes (TiDB's union scan): what a statement sees of a table its transaction changed.
final class TableScanExecutor: Executor {
  private let txn: any KVTransaction
  private let table: TableInfo
  private var ranges: [(start: Data, end: Data)]

  init(txn: any KVTransaction, table: TableInfo, ranges: [(start: Data, end: Data)]) {
    self.txn = txn
    self.table = table
    self.ranges = ranges
  }

  func next() async throws -> [Row]? {
    while !ranges.isEmpty {
      let range = ranges.removeFirst()
      let pairs = try await KeyRanges.scanAll(txn, from: range.start, to: range.end)
      let rows = try pairs.map { pair in
        let handle = try TableKeys.decodeRecord(pair.key).handle
        return try TableCodec.decodeRow(table, handle: handle, value: pair.value) + [.int(handle)]
      }
      if !rows.isEmpty { return rows }
    }
    return nil
  }
}

/// Reads the rows with the given handles (a point get, or the second half of an index
/// lookup), in the handles' order, skipping handles without a row.
final class HandleReader: Executor {
  private let txn: any KVTransaction
  private let table: TableInfo
  private var handles: any Executor

  /// - Parameter handles: rows whose first column is a handle.
  init(txn: any KVTransaction, table: TableInfo, handles: any Executor) {
    self.txn = txn
    self.table = table
    self.handles = handles
  }

  func next() async throws -> [Row]? {
    while let batch = try await handles.next() {
      var rows: [Row] = []
      for handleRow in batch {
        guard case .int(let handle) = handleRow[0] else { continue }
        guard let value = try await txn.get(TableCodec.rowKey(table.id, handle)) else { continue }
        rows.append(try TableCodec.decodeRow(table, handle: handle, value: value) + [.int(handle)])
      }
      if !rows.isEmpty { return rows }
    }
    return nil
  }
}

/// An index's entries over ranges of its keys, read through key-value scans merged with the
/// transaction's own writes: one row per entry holding the handle it points to, or (given the
/// table, for a covering read) a table-wide row holding the indexed values, the handle column
/// and the handle, its other columns NULL.
final class IndexHandleScan: Executor {
  private let txn: any KVTransaction
  private let index: IndexInfo
  private var ranges: [(start: Data, end: Data)]
  private let table: TableInfo?

  init(
    txn: any KVTransaction, index: IndexInfo, ranges: [(start: Data, end: Data)],
    rowsOf table: TableInfo? = nil
  ) {
    self.txn = txn
    self.index = index
    self.ranges = ranges
    self.table = table
  }

  func next() async throws -> [Row]? {
    while !ranges.isEmpty {
      let range = ranges.removeFirst()
      let pairs = try await KeyRanges.scanAll(txn, from: range.start, to: range.end)
      let handles = try pairs.map { pair -> Row in
        let values = try TableKeys.decodeIndex(pair.key).values
        // A distinct unique entry holds the handle in its value; others end their key with it.
        let handle: Datum =
          values.count == index.columns.count
          ? .int(try TableCodec.handle(fromIndexValue: pair.value)) : values.last ?? .null
        guard let table else { return [handle] }
        var row = Row(repeating: .null, count: table.columns.count)
        for (column, value) in zip(index.columns, values) { row[column.offset] = value }
        if let column = table.handleColumn, case .int(let h) = handle {
          row[column.offset] = column.type.unsigned ? .uint(UInt64(bitPattern: h)) : handle
        }
        return row + [handle]
      }
      if !handles.isEmpty { return handles }
    }
    return nil
  }
}
