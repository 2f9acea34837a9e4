import Coprocessor
import Foundation
import TipbProto

/// How a table's rows and index entries are laid out in the store: TinySQL's `tablecodec` and
/// row format (`Coprocessor`'s `TableKeys` and `EncodedRow`), so that the coprocessor reads
/// what this layer writes.
///
/// A row is `[Datum]` in the order of the table's columns (`ColumnInfo.offset`). The row's
/// value holds every column but the handle column of an integer primary key, which is the
/// key's handle.
enum TableCodec {
  /// The key of the row with `handle`.
  static func rowKey(_ table: Int64, _ handle: Int64) -> Data {
    Data(TableKeys.record(table: table, handle: handle))
  }

  /// Every row key of `table`.
  static func rowRange(_ table: Int64) -> (start: Data, end: Data) {
    let prefix = Data(TableKeys.recordPrefix(table: table))
    return (prefix, KeyRanges.prefixEnd(prefix))
  }

  /// Every key of `table`: rows and index entries.
  static func tableRange(_ table: Int64) -> (start: Data, end: Data) {
    (Data(tablePrefix(table)), Data(tablePrefix(table + 1)))
  }

  /// Every entry of index `index` of `table`.
  static func indexRange(_ table: Int64, _ index: Int64) -> (start: Data, end: Data) {
    let start = Data(TableKeys.index(table: table, index: index, values: []))
    return (start, KeyRanges.prefixEnd(start))
  }

  private static func tablePrefix(_ table: Int64) -> [UInt8] {
    var key: [UInt8] = [UInt8(ascii: "t")]
    NumberCodec.appendInt(table, to: &key)
    return key
  }

  /// The stored value of `row`.
  static func encodeRow(_ table: TableInfo, _ row: [Datum]) throws -> Data {
    let columns = table.columns.filter { !(table.pkIsHandle && $0.id == table.handleColumnID) }
    do {
      return Data(try EncodedRow.encode(columns.map { ($0.id, row[$0.offset]) }))
    } catch {
      throw SQLError.internalError("a row of \(table.name) does not encode: \(error)")
    }
  }

  /// The row stored under `handle` as `value`: every column of `table` (a column added after
  /// the row was written holds its original default).
  static func decodeRow(_ table: TableInfo, handle: Int64, value: Data) throws -> [Datum] {
    do {
      let row = try EncodedRow(decoding: value)
      return try table.columns.map { column in
        try row.datum(of: tipbColumn(column, in: table), handle: handle)
      }
    } catch {
      throw SQLError.internalError("a row of \(table.name) does not decode: \(error)")
    }
  }

  /// `column` as a push-down request describes it.
  static func tipbColumn(_ column: ColumnInfo, in table: TableInfo) -> Tipb_ColumnInfo {
    var info = Tipb_ColumnInfo(
      id: column.id, type: column.type.type,
      pkHandle: table.pkIsHandle && column.id == table.handleColumnID,
      unsigned: column.type.unsigned)
    info.columnLen = Int32(clamping: column.type.length)
    if column.type.notNull { info.flag |= 1 }
    if let original = column.originalDefault, original != .null {
      var bytes: [UInt8] = []
      DatumCodec.append(original.datum, as: .value, to: &bytes)
      info.defaultVal = Data(bytes)
    }
    return info
  }

  /// The hidden handle column (`_tidb_rowid`) of a table without an integer primary key.
  static var extraHandleColumn: Tipb_ColumnInfo {
    Tipb_ColumnInfo(id: TableKeys.extraHandleColumnID, type: .longlong)
  }

  // MARK: Indexes

  /// Index `index`'s entry for `row` (stored under `handle`). A unique index whose values hold
  /// no NULL keys the entry by the values alone (`distinct`) and stores the handle as 8
  /// big-endian bytes; any other entry appends the handle to its key and stores "0".
  static func indexEntry(
    _ table: TableInfo, _ index: IndexInfo, row: [Datum], handle: Int64
  ) -> (key: Data, value: Data, distinct: Bool) {
    let values = index.columns.map { row[$0.offset] }
    if index.unique && !values.contains(.null) {
      let key = TableKeys.index(table: table.id, index: index.id, values: values)
      return (
        Data(key), withUnsafeBytes(of: UInt64(bitPattern: handle).bigEndian) { Data($0) }, true
      )
    }
    let key = TableKeys.index(table: table.id, index: index.id, values: values + [.int(handle)])
    return (Data(key), Data("0".utf8), false)
  }

  /// The handle a unique index entry's value holds.
  static func handle(fromIndexValue value: Data) throws -> Int64 {
    guard value.count >= 8 else { throw SQLError.internalError("a corrupt unique index entry") }
    return Int64(bitPattern: value.prefix(8).reduce(UInt64(0)) { $0 << 8 | UInt64($1) })
  }
}
