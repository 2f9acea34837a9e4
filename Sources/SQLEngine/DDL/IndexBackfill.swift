import Coprocessor
import Foundation

/// Writes the entries of the rows already in a table into a new index in state
/// `writeReorganization` (TinySQL's `addIndexWorker`): the rows in handle order, `batch` at a
/// time, each batch a transaction of its own that reads them and puts their entries.
///
/// Statements writing the table meanwhile keep the index themselves (`TableWriter` writes
/// entries from `writeOnly` on and deletes them from `deleteOnly` on). A statement that
/// changes or deletes a row of a batch after the batch read it writes that row's entry key
/// too, so one of the two commits fails with a write conflict: the batch then runs again and
/// reads the row anew.
struct IndexBackfill {
  let domain: Domain
  let tableID: Int64
  let indexID: Int64
  /// Rows per transaction.
  static let batch = 256
  /// How many times a batch runs: it conflicts with every statement that writes one of its
  /// rows while it runs, which on a busy table is often.
  static let attempts = 200

  /// Backfills every row.
  /// - Throws: 1062 for two rows with the same values in a unique index, 1138 for a NULL in a
  ///   primary key, 8214 if the table or the index goes away.
  func run() async throws {
    var next: Data? = TableCodec.rowRange(tableID).start
    while let start = next {
      next = try await TableData.retrying(domain.store, attempts: Self.attempts) { txn in
        try await fill(txn, from: start)
      }
    }
  }

  /// Puts the entries of up to `batch` rows from row key `start` on in `txn`.
  /// - Returns: where the next batch starts; nil after the last row.
  private func fill(_ txn: any KVTransaction, from start: Data) async throws -> Data? {
    // The definition in this batch's snapshot: a column change meanwhile moves offsets.
    guard let table = try await domain.infoSchema(for: txn).table(id: tableID)?.table else {
      throw SQLError.cancelledDDL("the table was dropped while its index was being added")
    }
    guard let index = table.indices.first(where: { $0.id == indexID }),
      index.state == .writeReorganization
    else { throw SQLError.cancelledDDL("the index was dropped by another statement") }
    let end = TableCodec.rowRange(tableID).end
    let pairs = try await txn.scan(from: start, to: end, limit: Self.batch)
    for pair in pairs {
      let handle = try TableData.handle(ofRowKey: pair.key)
      let row = try TableCodec.decodeRow(table, handle: handle, value: pair.value)
      if index.primary && index.columns.contains(where: { row[$0.offset] == .null }) {
        throw SQLError.invalidUseOfNull
      }
      let entry = TableCodec.indexEntry(table, index, row: row, handle: handle)
      if entry.distinct, let existing = try await txn.get(entry.key) {
        guard try TableCodec.handle(fromIndexValue: existing) == handle else {
          throw TableWriter(txn: txn, table: table, schema: "")
            .duplicateError(row: row, handle: handle, key: index.name)
        }
        continue
      }
      txn.put(entry.key, entry.value)
    }
    guard pairs.count == Self.batch, let last = pairs.last?.key else { return nil }
    return last + Data([0])
  }
}
