import Coprocessor
import Foundation
import TipbProto

/// A table as TinySQL would store it, for requests over real encodings:
/// `people(id BIGINT PRIMARY KEY, name VARCHAR UNIQUE, age INT NULL, score DOUBLE)` with table
/// id 5, the unique index on `name` (index id 2) and a non-unique index on `age` (index id 1).
///
/// Row `h` (the handle): name `user-h`, age NULL when `h` is a multiple of 7 and `20 + h % 10`
/// otherwise, score `h / 2`.
enum PeopleTable {
  static let tableID: Int64 = 5
  static let ageIndex: Int64 = 1
  static let nameIndex: Int64 = 2

  static func name(_ handle: Int64) -> [UInt8] { Array("user-\(handle)".utf8) }
  static func age(_ handle: Int64) -> Datum { handle % 7 == 0 ? .null : .int(20 + handle % 10) }
  static func score(_ handle: Int64) -> Double { Double(handle) / 2 }

  /// The columns in table order: id, name, age, score.
  static var columns: [Tipb_ColumnInfo] {
    [
      Tipb_ColumnInfo(id: 1, type: .longlong, pkHandle: true),
      Tipb_ColumnInfo(id: 2, type: .varchar),
      Tipb_ColumnInfo(id: 3, type: .long), Tipb_ColumnInfo(id: 4, type: .double),
    ]
  }

  /// The key-value pairs of row `handle`: the row, then its two index entries.
  static func pairs(_ handle: Int64) throws -> [(key: [UInt8], value: [UInt8])] {
    let row = try EncodedRow.encode([
      (2, .bytes(name(handle))), (3, age(handle)), (4, .float(score(handle))),
    ])
    // The unique index holds no NULL here: its value is the handle as 8 plain big-endian bytes
    // (TinySQL's `table/tables/index.go`, not the key's sign-flipped form).
    let plainHandle = withUnsafeBytes(of: UInt64(bitPattern: handle).bigEndian, Array.init)
    return [
      (TableKeys.record(table: tableID, handle: handle), row),
      (
        TableKeys.index(table: tableID, index: nameIndex, values: [.bytes(name(handle))]),
        plainHandle
      ),
      (
        TableKeys.index(table: tableID, index: ageIndex, values: [age(handle), .int(handle)]),
        Array("0".utf8)
      ),
    ]
  }

  /// The range of every row.
  static var rowRange: KeyRange {
    KeyRange(
      start: TableKeys.recordPrefix(table: tableID),
      end: TableKeys.recordPrefix(table: tableID + 1))
  }

  /// The rows with handles in `handles` (a half-open range).
  static func rowRange(_ handles: Range<Int64>) -> KeyRange {
    KeyRange(
      start: TableKeys.record(table: tableID, handle: handles.lowerBound),
      end: TableKeys.record(table: tableID, handle: handles.upperBound))
  }

  /// The entries of index `index` whose first value lies in `[low, high)` (key form bounds).
  static func indexRange(_ index: Int64, from low: Datum, to high: Datum) -> KeyRange {
    KeyRange(
      start: TableKeys.index(table: tableID, index: index, values: [low]),
      end: TableKeys.index(table: tableID, index: index, values: [high]))
  }

  /// A table scan of `columns` (default: all).
  static func tableScan(_ columns: [Tipb_ColumnInfo] = columns, desc: Bool = false) -> Tipb_Executor
  {
    var scan = Tipb_TableScan()
    scan.tableID = tableID
    scan.columns = columns
    scan.desc = desc
    var executor = Tipb_Executor()
    executor.tp = .typeTableScan
    executor.tblScan = scan
    return executor
  }

  /// A scan of index `index` over `columns`, the handle last when asked.
  static func indexScan(
    _ index: Int64, _ columns: [Tipb_ColumnInfo], desc: Bool = false
  ) -> Tipb_Executor {
    var scan = Tipb_IndexScan()
    scan.tableID = tableID
    scan.indexID = index
    scan.columns = columns
    scan.desc = desc
    var executor = Tipb_Executor()
    executor.tp = .typeIndexScan
    executor.idxScan = scan
    return executor
  }
}

extension Tipb_Executor {
  static func selection(_ conditions: Tipb_Expr...) -> Tipb_Executor {
    var executor = Tipb_Executor()
    executor.tp = .typeSelection
    executor.selection.conditions = conditions
    return executor
  }

  static func aggregation(_ functions: [Tipb_Expr], groupBy: [Tipb_Expr] = []) -> Tipb_Executor {
    var executor = Tipb_Executor()
    executor.tp = .typeAggregation
    executor.aggregation.aggFunc = functions
    executor.aggregation.groupBy = groupBy
    return executor
  }

  static func limit(_ count: UInt64) -> Tipb_Executor {
    var executor = Tipb_Executor()
    executor.tp = .typeLimit
    executor.limit.limit = count
    return executor
  }

  static func topN(_ count: UInt64, by expression: Tipb_Expr, desc: Bool) -> Tipb_Executor {
    var item = Tipb_ByItem()
    item.expr = expression
    item.desc = desc
    var executor = Tipb_Executor()
    executor.tp = .typeTopN
    executor.topN.orderBy = [item]
    executor.topN.limit = count
    return executor
  }

  static func projection(_ expressions: Tipb_Expr...) -> Tipb_Executor {
    var executor = Tipb_Executor()
    executor.tp = .typeProjection
    executor.projection.exprs = expressions
    return executor
  }
}
