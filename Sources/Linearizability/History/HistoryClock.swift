import Synchronization

/// The time source of a ``History``: any non-decreasing count shared by all clients.
public protocol HistoryClock: Sendable {
  /// The current time.
  func now() -> UInt64
}

/// Nanoseconds of `ContinuousClock` since the clock was created: the clock for real runs.
public struct MonotonicClock: HistoryClock {
  private let origin = ContinuousClock.now

  /// Creates a clock reading zero now.
  public init() {}

  public func now() -> UInt64 {
    let elapsed = origin.duration(to: .now).components
    return UInt64(max(0, elapsed.seconds)) * 1_000_000_000
      + UInt64(max(0, elapsed.attoseconds / 1_000_000_000))
  }
}

/// A logical clock for tests: every reading is one tick later than the one before, so a history
/// records exactly the order in which its events were recorded.
public final class LogicalClock: HistoryClock {
  private let ticks = Atomic<UInt64>(0)

  /// Creates a clock whose first reading is 1.
  public init() {}

  public func now() -> UInt64 { ticks.add(1, ordering: .relaxed).newValue }
}
