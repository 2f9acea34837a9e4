import Coprocessor
import Foundation

/// Writes rows of one table in a transaction, keeping its indexes: the row under its handle,
/// one entry per index that the schema state says to maintain, and the unique checks.
struct TableWriter {
  let txn: any KVTransaction
  let table: TableInfo
  let schema: String

  /// Indexes a write keeps: every one from `writeOnly` on (a `deleteOnly` index only loses
  /// entries).
  private var writableIndexes: [IndexInfo] {
    table.indices.filter { $0.state != .deleteOnly && $0.state != .deleteReorganization }
  }

  /// Indexes a delete keeps: every one.
  private var deletableIndexes: [IndexInfo] { table.indices }

  /// The handle of a new row: the integer primary key's value, or a fresh row id.
  func handle(for row: [Datum], domain: Domain) async throws -> Int64 {
    if table.pkIsHandle { return try primaryKeyHandle(of: row) }
    return try await domain.autoIDs.next(table: table, store: domain.store)
  }

  /// The handle of `row` in a table whose handle is its integer primary key.
  func primaryKeyHandle(of row: [Datum]) throws -> Int64 {
    switch table.handleColumn.map({ row[$0.offset] }) {
    case .int(let value): return value
    case .uint(let value): return Int64(bitPattern: value)
    default: throw SQLError.internalError("the primary key of \(table.name) is not an integer")
    }
  }

  /// The row that conflicts with `row` on its primary key or a unique index, if any: the key's
  /// name and the conflicting row's handle.
  func conflict(for row: [Datum], handle: Int64) async throws -> (key: String, handle: Int64)? {
    if table.pkIsHandle, try await txn.get(TableCodec.rowKey(table.id, handle)) != nil {
      return ("PRIMARY", handle)
    }
    for index in writableIndexes where index.unique {
      let entry = TableCodec.indexEntry(table, index, row: row, handle: handle)
      guard entry.distinct, let value = try await txn.get(entry.key) else { continue }
      return (index.name, try TableCodec.handle(fromIndexValue: value))
    }
    return nil
  }

  /// The 1062 error for a conflict on `key` with `row`'s values.
  func duplicateError(row: [Datum], handle: Int64, key: String) -> SQLError {
    let text: String
    if key == "PRIMARY", table.pkIsHandle {
      text = DatumText.text(row[table.handleColumn!.offset])
    } else if let index = table.index(named: key) {
      text = index.columns.map { DatumText.text(row[$0.offset]) }.joined(separator: "-")
    } else {
      text = "\(handle)"
    }
    return .duplicateEntry(text, key: "\(table.name).\(key)")
  }

  /// Writes a new row and its index entries.
  /// - Throws: 1062 if it would duplicate a primary or unique key.
  func insert(_ row: [Datum], handle: Int64) async throws {
    if let conflict = try await conflict(for: row, handle: handle) {
      throw duplicateError(row: row, handle: handle, key: conflict.key)
    }
    try write(row, handle: handle)
  }

  /// Writes `row` under `handle` with its index entries, unchecked.
  func write(_ row: [Datum], handle: Int64) throws {
    txn.put(TableCodec.rowKey(table.id, handle), try TableCodec.encodeRow(table, row))
    for index in writableIndexes {
      let entry = TableCodec.indexEntry(table, index, row: row, handle: handle)
      txn.put(entry.key, entry.value)
    }
  }

  /// Deletes the row stored under `handle` (holding `row`) and its index entries.
  func delete(_ row: [Datum], handle: Int64) {
    txn.delete(TableCodec.rowKey(table.id, handle))
    for index in deletableIndexes {
      txn.delete(TableCodec.indexEntry(table, index, row: row, handle: handle).key)
    }
  }

  /// Replaces `old` with `new` under `handle` (a new handle if the primary key changed).
  /// - Throws: 1062 if the new values duplicate another row's key.
  func update(old: [Datum], new: [Datum], handle: Int64) async throws -> Int64 {
    let newHandle = table.pkIsHandle ? try primaryKeyHandle(of: new) : handle
    for index in deletableIndexes {
      let before = TableCodec.indexEntry(table, index, row: old, handle: handle)
      let after = TableCodec.indexEntry(table, index, row: new, handle: newHandle)
      if before.key != after.key { txn.delete(before.key) }
    }
    if newHandle != handle { txn.delete(TableCodec.rowKey(table.id, handle)) }
    // Check only the keys that changed: the row's own entries are not conflicts.
    if newHandle != handle, try await txn.get(TableCodec.rowKey(table.id, newHandle)) != nil {
      throw duplicateError(row: new, handle: newHandle, key: "PRIMARY")
    }
    for index in writableIndexes where index.unique {
      let before = TableCodec.indexEntry(table, index, row: old, handle: handle)
      let after = TableCodec.indexEntry(table, index, row: new, handle: newHandle)
      if after.distinct, before.key != after.key, try await txn.get(after.key) != nil {
        throw duplicateError(row: new, handle: newHandle, key: index.name)
      }
    }
    try write(new, handle: newHandle)
    return newHandle
  }
}
