import Synchronization

/// Hands out unique ids (stores, regions, peers), never reused across restarts.
///
/// Ids are reserved in blocks: before the first id of a block is handed out, the block's end is
/// written durably (fsync). After a crash the allocator resumes above the last saved end, so an
/// id is never repeated, at the cost of skipping the unused rest of a block.
final class IDAllocator: Sendable {
  private struct State {
    /// The last id handed out. Invariant: `last <= end`.
    var last: UInt64
    /// The durable end of the current block: every id `<= end` may have been handed out.
    var end: UInt64
  }

  private let state: Mutex<State>
  private let storage: MetaStorage
  private let blockSize: UInt64

  /// Resumes from the saved high-water mark (0 for a new database).
  init(storage: MetaStorage, blockSize: UInt64 = 1000) throws(SchedulerError) {
    let end = try storage.loadUInt64(MetaKey.allocEnd) ?? 0
    self.storage = storage
    self.blockSize = max(1, blockSize)
    state = Mutex(State(last: end, end: end))
  }

  /// The next unused id (ids start at 1).
  /// - Throws: `SchedulerError.storage` if a new block could not be saved; nothing is handed out.
  func allocate() throws(SchedulerError) -> UInt64 {
    try allocate(count: 1)[0]
  }

  /// `count` unused ids, in increasing order.
  func allocate(count: Int) throws(SchedulerError) -> [UInt64] {
    guard count > 0 else { return [] }
    return try state.withLock { state throws(SchedulerError) -> [UInt64] in
      let needed = state.last + UInt64(count)
      if needed > state.end {
        let blocks = (needed - state.end + blockSize - 1) / blockSize
        let newEnd = state.end + blocks * blockSize
        try storage.saveUInt64(MetaKey.allocEnd, newEnd)
        state.end = newEnd
      }
      let first = state.last + 1
      state.last = needed
      return Array(first...needed)
    }
  }
}
