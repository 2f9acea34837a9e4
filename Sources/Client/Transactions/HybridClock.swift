import Foundation
import Synchronization

/// A local timestamp oracle: `physical_ms << 18 | logical`, the wall clock in milliseconds with a
/// logical counter for timestamps taken within one millisecond. Never goes backwards, even if
/// the wall clock does. Unique within one process only: several processes need the scheduler's
/// TSO.
public final class HybridClock: TimestampOracle {
  private let last = Mutex<(physical: UInt64, logical: UInt64)>((0, 0))
  private static let logicalLimit: UInt64 = 1 << 18

  public init() {}

  public func timestamp() -> UInt64 {
    let now = UInt64(Date().timeIntervalSince1970 * 1000)
    return last.withLock { last in
      if now > last.physical {
        last = (now, 0)
      } else if last.logical + 1 < Self.logicalLimit {
        last.logical += 1
      } else {
        last = (last.physical + 1, 0)
      }
      return last.physical << 18 | last.logical
    }
  }
}
