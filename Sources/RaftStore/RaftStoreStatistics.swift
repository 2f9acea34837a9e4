import Synchronization

/// Running totals of a store's raft loop, for benchmarks and metrics (group commit at work:
/// `syncedWrites` against the writes acknowledged).
public final class RaftStoreStatistics: Sendable {
  private let roundsCount = Atomic<Int>(0)
  private let syncedWritesCount = Atomic<Int>(0)

  package init() {}

  /// Rounds of the raft loop that wrote something.
  public var rounds: Int { roundsCount.load(ordering: .relaxed) }
  /// Raft-engine writes that were fsynced (one per round at most).
  public var syncedWrites: Int { syncedWritesCount.load(ordering: .relaxed) }

  func wrote(synced: Bool) {
    roundsCount.add(1, ordering: .relaxed)
    if synced { syncedWritesCount.add(1, ordering: .relaxed) }
  }
}
