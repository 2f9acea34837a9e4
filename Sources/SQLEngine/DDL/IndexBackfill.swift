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
/// reads the row anew. A batch commits as statements do (`Session.commit`): registered in the
/// domain's `CommitRegistry` with the table revision it read, and not at all if the table's
/// definition changed meanwhile (the index dropped, say), so that a step of another DDL waits
/// for it or makes it run again.
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
    while let start = next { next = try await fillBatch(from: start) }
  }

  /// Fills the batch from row key `start` on in a transaction of its own, again after a
  /// write conflict or a change of the table's definition.
  /// - Returns: where the next batch starts; nil after the last row.
  private func fillBatch(from start: Data) async throws -> Data? {
    var attempt = 0
    while true {
      attempt += 1
      let txn = try await domain.store.begin()
      do {
        let schema = try await domain.infoSchema(for: txn)
        let (next, revision) = try await fill(txn, schema: schema, from: start)
        let token = domain.commits.begin([tableID: revision])
        defer { domain.commits.end(token) }
        try await domain.checkRevisions([tableID: revision], plannedWith: schema.version)
        _ = try await txn.commit()
        return next
      } catch {
        try? await txn.rollback()
        guard attempt < Self.attempts, SessionErrors.isRetryable(error) else {
          throw SessionErrors.sqlError(error)
        }
        try await Task.sleep(for: .milliseconds(Int64(5 * min(attempt, 10))))
      }
    }
  }

  /// Puts the entries of up to `batch` rows from row key `start` on in `txn`, whose catalog
  /// is `schema`.
  /// - Returns: where the next batch starts (nil after the last row), and the revision of the
  ///   table read.
  private func fill(
    _ txn: any KVTransaction, schema: InfoSchema, from start: Data
  ) async throws -> (next: Data?, revision: Int64) {
    // The definition in this batch's snapshot: a column change meanwhile moves offsets.
    guard let table = schema.table(id: tableID)?.table else {
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
          let values = index.columns.map { DatumText.text(row[$0.offset]) }
          throw SQLError.duplicateEntry(
            values.joined(separator: "-"), key: "\(table.name).\(index.name)")
        }
        continue
      }
      txn.put(entry.key, entry.value)
    }
    guard pairs.count == Self.batch, let last = pairs.last?.key else {
      return (nil, table.revision)
    }
    return (last + Data([0]), table.revision)
  }
}
