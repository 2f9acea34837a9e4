import Coprocessor
import Foundation

/// A table's keys in the store after the catalog changed: deleting those of a dropped table or
/// index, and reading rows in handle order.
///
/// Deletion runs after the catalog change that hid the keys committed and the commits still
/// writing under the old definition finished: nothing reads or writes them any more, so each
/// batch (`deleteBatch` keys, a transaction of its own) conflicts with nothing and a big
/// table is simply many batches, without output. A server that stops half-way leaves the rest
/// behind, unreachable (no catalog entry names the table or index id again).
enum TableData {
  /// Keys deleted per transaction.
  static let deleteBatch = 1000
  /// How many times a batch runs, after retryable errors.
  static let attempts = 20

  /// Deletes every key from `start` to `end`.
  static func delete(from start: Data, to end: Data, in store: any KVStore) async throws {
    var next = start
    while true {
      let last: Data? = try await retrying(store) { txn in
        let pairs = try await txn.scan(from: next, to: end, limit: deleteBatch)
        for pair in pairs { txn.delete(pair.key) }
        return pairs.count == deleteBatch ? pairs.last?.key : nil
      }
      guard let last else { return }
      next = last + Data([0])
    }
  }

  /// Runs `body` in a transaction of its own and commits it, again on a retryable error (a
  /// write conflict), up to `attempts` times in all.
  /// - Returns: what `body` returned.
  private static func retrying<T>(
    _ store: any KVStore, _ body: (any KVTransaction) async throws -> T
  ) async throws -> T {
    var attempt = 0
    while true {
      attempt += 1
      let txn = try await store.begin()
      do {
        let result = try await body(txn)
        if !txn.isReadOnly { _ = try await txn.commit() }
        return result
      } catch {
        try? await txn.rollback()
        guard attempt < attempts, SessionErrors.isRetryable(error) else {
          throw SessionErrors.sqlError(error)
        }
        try await Task.sleep(for: .milliseconds(Int64(5 * min(attempt, 10))))
      }
    }
  }

  /// Calls `body` with every row of `table` in `txn`'s snapshot, in handle order, a scan of
  /// `batch` rows at a time.
  static func forEachRow(
    of table: TableInfo, in txn: any KVTransaction, batch: Int = 1024,
    _ body: (_ handle: Int64, _ row: [Datum]) throws -> Void
  ) async throws {
    let range = TableCodec.rowRange(table.id)
    var next = range.start
    while true {
      let pairs = try await txn.scan(from: next, to: range.end, limit: batch)
      for pair in pairs {
        let handle = try handle(ofRowKey: pair.key)
        try body(handle, try TableCodec.decodeRow(table, handle: handle, value: pair.value))
      }
      guard pairs.count == batch, let last = pairs.last?.key else { return }
      next = last + Data([0])
    }
  }

  /// The handle of row key `key`.
  static func handle(ofRowKey key: Data) throws(SQLError) -> Int64 {
    do {
      return try TableKeys.decodeRecord(key).handle
    } catch {
      throw SQLError.internalError("a corrupt row key: \(error)")
    }
  }
}

extension Domain {
  /// Deletes the rows and index entries of table `table`, which the catalog no longer names
  /// (DROP TABLE, TRUNCATE, DROP DATABASE): after the commits still writing it finished, with
  /// its cached row ids forgotten.
  func deleteData(ofTable table: Int64) async throws {
    try await commits.waitForCommits(table: table, before: .max)
    autoIDs.forget(table: table)
    let range = TableCodec.tableRange(table)
    try await TableData.delete(from: range.start, to: range.end, in: store)
  }
}
