import Synchronization

/// Row ids and AUTO_INCREMENT values, handed out from ranges reserved in the store a batch at
/// a time (TiDB's allocator): unique across servers, increasing within one server, with gaps
/// after a restart (as TiDB's).
final class AutoIDAllocator: Sendable {
  /// How many ids one reservation takes.
  static let batch: Int64 = 1000

  private let ranges = Mutex<[Int64: ClosedRange<Int64>]>([:])

  /// The next id of table `table`, reserving a new batch in its own transaction when the
  /// current one is used up.
  func next(table: TableInfo, store: any KVStore) async throws -> Int64 {
    if let id = take(table.id) { return id }
    for _ in 0..<20 {
      let txn = try await store.begin()
      let last = try await Meta(txn: txn).reserveAutoIDs(
        table: table.id, count: Self.batch, base: table.autoIncrementBase)
      do {
        _ = try await txn.commit()
      } catch {
        try? await txn.rollback()
        continue
      }
      ranges.withLock { $0[table.id] = (last - Self.batch + 1)...last }
      if let id = take(table.id) { return id }
    }
    throw SQLError.internalError("could not reserve row ids for table \(table.name)")
  }

  /// Makes sure ids after `value` are handed out from now on (an explicit AUTO_INCREMENT value
  /// was written).
  func rebase(table: TableInfo, to value: Int64, store: any KVStore) async throws {
    let needsStore = ranges.withLock { ranges -> Bool in
      guard let range = ranges[table.id] else { return true }
      if range.lowerBound > value { return false }
      if range.upperBound > value {
        ranges[table.id] = (value + 1)...range.upperBound
        return false
      }
      ranges[table.id] = nil
      return true
    }
    guard needsStore else { return }
    for _ in 0..<20 {
      let txn = try await store.begin()
      try await Meta(txn: txn).rebaseAutoID(table: table.id, to: value)
      do {
        _ = try await txn.commit()
        return
      } catch {
        try? await txn.rollback()
      }
    }
  }

  /// Forgets table `table`'s range (dropped or truncated).
  func forget(table: Int64) { ranges.withLock { $0[table] = nil } }

  private func take(_ table: Int64) -> Int64? {
    ranges.withLock { ranges in
      guard let range = ranges[table] else { return nil }
      ranges[table] =
        range.lowerBound == range.upperBound ? nil : (range.lowerBound + 1)...range.upperBound
      return range.lowerBound
    }
  }
}
