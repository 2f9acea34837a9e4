import Engine
import Foundation
import Synchronization

/// Writes batches of modifications with one fsync per group.
///
/// Callers enqueue their modifications and suspend. One dedicated thread (never an NIO event
/// loop or a Swift concurrency worker) takes everything queued, writes it as one atomic
/// WriteBatch with `sync`, and resumes every caller with the result. While a sync runs, new
/// writes queue up and form the next group, so the group grows with the load.
final class GroupCommitter: Sendable {
  private struct Pending {
    let modifications: [Modification]
    let continuation: CheckedContinuation<Void, any Error>
  }

  /// `queue` holds writes not yet taken by the thread. `stopping` means no new writes are
  /// accepted; the thread exits once the queue is empty.
  private struct State {
    var queue: [Pending] = []
    var stopping = false
    var threadWaiting = false
    var stats = CommitStats()
  }

  private let database: Database
  private let state = Mutex(State())
  private let wake = DispatchSemaphore(value: 0)
  private let exited = DispatchSemaphore(value: 0)
  /// The most writes one group takes, to bound a group's memory and latency.
  private let maxGroupSize: Int

  init(database: Database, maxGroupSize: Int = 4096) {
    self.database = database
    self.maxGroupSize = maxGroupSize
    let thread = Thread { [self] in self.run() }
    thread.name = "group-commit"
    thread.start()
  }

  /// Writes `modifications` atomically and durably.
  /// - Throws: `EngineError` if the write failed or the store is shutting down.
  func commit(_ modifications: [Modification]) async throws {
    // Checked here, not in the group: one caller's bad column family must not fail the others.
    for modification in modifications
    where !database.columnFamilies.contains(modification.columnFamily) {
      throw EngineError(
        code: .unknownColumnFamily,
        message: "unknown column family \"\(modification.columnFamily)\"")
    }
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Void, any Error>) in
      let accepted: (accepted: Bool, wake: Bool) = state.withLock { state in
        guard !state.stopping else { return (false, false) }
        state.queue.append(Pending(modifications: modifications, continuation: continuation))
        let wake = state.threadWaiting
        state.threadWaiting = false
        return (true, wake)
      }
      if !accepted.accepted {
        continuation.resume(throwing: EngineError(code: .closed, message: "store is shutting down"))
      } else if accepted.wake {
        wake.signal()
      }
    }
  }

  /// How many writes and syncs the committer has done so far.
  var stats: CommitStats { state.withLock { $0.stats } }

  /// Stops accepting writes, waits until every accepted write is done.
  func stop() {
    let wasRunning = state.withLock { state in
      defer { state.stopping = true; state.threadWaiting = false }
      return !state.stopping
    }
    guard wasRunning else { return }
    wake.signal()
    exited.wait()
  }

  private func run() {
    while true {
      let (group, stopping): ([Pending], Bool) = state.withLock { state in
        let take = min(state.queue.count, maxGroupSize)
        let group = Array(state.queue.prefix(take))
        state.queue.removeFirst(take)
        if group.isEmpty && !state.stopping { state.threadWaiting = true }
        return (group, state.stopping)
      }
      if group.isEmpty {
        if stopping { break }
        wake.wait()
        continue
      }
      let result = Result { try write(group) }
      state.withLock {
        $0.stats.writes += group.count
        $0.stats.syncs += 1
      }
      for pending in group { pending.continuation.resume(with: result) }
    }
    exited.signal()
  }

  private func write(_ group: [Pending]) throws {
    let batch = try database.makeWriteBatch()
    for pending in group {
      for modification in pending.modifications { try batch.add(modification) }
    }
    try database.write(batch, sync: true)
  }
}

/// Counters of a group committer: `writes / syncs` is the mean group size.
public struct CommitStats: Sendable, Hashable {
  /// Writes acknowledged (each one caller's atomic batch).
  public var writes = 0
  /// Synced WriteBatches, each covering a group of writes.
  public var syncs = 0
}
