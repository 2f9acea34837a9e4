import Synchronization

/// What a ``GRPCTransport`` has done with the Raft messages it was given (snapshots aside).
public struct TransportStatistics: Sendable, Equatable {
  /// Messages written to a store's `Raft` stream.
  public var sentMessages: Int
  /// The writes those took: each write carries everything queued for the store at the time,
  /// so under load there are far fewer writes than messages.
  public var writtenBatches: Int
  /// Messages dropped: queue full, store unreachable, stream failed, or sent before start or
  /// after shutdown.
  public var droppedMessages: Int
}

/// The transport's counters, shared with its store links.
final class TransportCounters: Sendable {
  private let sent = Atomic<Int>(0)
  private let batches = Atomic<Int>(0)
  private let dropped = Atomic<Int>(0)

  /// Counts one write of `count` messages.
  func wrote(_ count: Int) {
    sent.add(count, ordering: .relaxed)
    batches.add(1, ordering: .relaxed)
  }

  /// Counts `count` dropped messages.
  func dropped(_ count: Int) {
    dropped.add(count, ordering: .relaxed)
  }

  var statistics: TransportStatistics {
    TransportStatistics(
      sentMessages: sent.load(ordering: .relaxed),
      writtenBatches: batches.load(ordering: .relaxed),
      droppedMessages: dropped.load(ordering: .relaxed))
  }
}
