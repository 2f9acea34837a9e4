import Foundation
import Synchronization

/// The scheduler's two clocks: the wall clock (for timestamps, which may step backwards) and a
/// monotonic one (for liveness and operator timeouts). Injected so tests can drive time.
public protocol SchedulerClock: Sendable {
  /// Milliseconds since the Unix epoch, as the system says now (it may jump either way).
  func wallMillis() -> Int64
  /// Milliseconds from an arbitrary origin that never go backwards.
  func monotonicMillis() -> Int64
}

/// The system's clocks.
public struct SystemClock: SchedulerClock {
  /// The system clocks.
  public init() {}

  /// `CLOCK_REALTIME` in milliseconds.
  public func wallMillis() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_REALTIME, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
  }

  /// `CLOCK_MONOTONIC` in milliseconds.
  public func monotonicMillis() -> Int64 {
    var spec = timespec()
    clock_gettime(CLOCK_MONOTONIC, &spec)
    return Int64(spec.tv_sec) * 1000 + Int64(spec.tv_nsec) / 1_000_000
  }
}

/// A clock moved by hand, for tests and simulations.
final class ManualClock: SchedulerClock {
  private let state: Mutex<(wall: Int64, monotonic: Int64)>

  init(wall: Int64 = 1_700_000_000_000, monotonic: Int64 = 0) {
    state = Mutex((wall, monotonic))
  }

  func wallMillis() -> Int64 { state.withLock { $0.wall } }
  func monotonicMillis() -> Int64 { state.withLock { $0.monotonic } }

  /// Moves both clocks forward by `millis`.
  func advance(_ millis: Int64) {
    state.withLock {
      $0.wall += millis
      $0.monotonic += millis
    }
  }

  /// Sets the wall clock (possibly backwards), leaving the monotonic one alone.
  func setWall(_ millis: Int64) { state.withLock { $0.wall = millis } }
}
