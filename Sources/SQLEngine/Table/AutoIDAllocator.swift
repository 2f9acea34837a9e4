import Synchronization

/// Row ids and AUTO_INCREMENT values, handed out from ranges reserved in the store a batch at
/// a time (TiDB's allocator): unique across servers, increasing within one server, with gaps
/// after a restart (as TiDB's).
final class AutoIDAllocator: Sendable {
  /// How many ids one reservation takes.
  let batch: Int64

  /// An allocator reserving `batch` ids at a time.
  init(batch: Int64 = 1000) { self.batch = batch }

  private let ranges = Mutex<[Int64: ClosedRange<Int64>]>([:])
  /// The reservation under way for a table: sessions that run out meanwhile wait for it
  /// instead of racing it for the same counter.
  private let reservations = Mutex<[Int64: Task<Void, any Error>]>([:])

  /// The next id of table `table`, reserving a new batch in its own transaction when the
  /// current one is used up (one reservation per table at a time in this server).
  func next(table: TableInfo, store: any KVStore) async throws -> Int64 {
    while true {
      if let id = take(table.id) { return id }
      let reservation = reservations.withLock { reservations in
        if let running = reservations[table.id] { return running }
        let task = Task { try await self.reserve(table, store: store) }
        reservations[table.id] = task
        return task
      }
      defer { reservations.withLock { if $0[table.id] == reservation { $0[table.id] = nil } } }
      try await reservation.value
    }
  }

  /// Reserves the next batch of `table`'s counter in the store (other servers may be
  /// reserving too: a conflict backs off and tries again).
  private func reserve(_ table: TableInfo, store: any KVStore) async throws {
    for attempt in 1...30 {
      let txn = try await store.begin()
      let last = try await Meta(txn: txn).reserveAutoIDs(
        table: table.id, count: batch, base: table.autoIncrementBase)
      do {
        _ = try await txn.commit()
        ranges.withLock { $0[table.id] = (last - batch + 1)...last }
        return
      } catch {
        try? await txn.rollback()
        guard SessionErrors.isRetryable(error) else { throw error }
        try await Task.sleep(for: .milliseconds(Int64(1 << min(attempt, 7))))
      }
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
