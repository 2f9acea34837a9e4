import Foundation
import Synchronization

/// Per-key latches: a command that writes holds the latch of every user key it may touch (in all
/// column families) from the moment it reads its snapshot until its write is durable, so two
/// commands on a common key never interleave their read-check-write.
///
/// A latch is held by at most one command; waiters queue in arrival order and are handed the
/// latch directly on release (no thundering herd). A command takes its keys one at a time in
/// ascending byte order, so two commands can never each hold a key the other waits for: no
/// deadlock. Waiting does not observe task cancellation; latches are held only for the length
/// of one command.
public final class Latches: Sendable {
  /// A key present in the map is held; its array lists the waiters, oldest first.
  private let state = Mutex<[Data: [CheckedContinuation<Void, Never>]]>([:])

  public init() {}

  /// Runs `body` holding the latches of `keys` (duplicates allowed, order irrelevant).
  public func withLatches<T>(
    _ keys: [Data], _ body: () async throws -> T
  ) async rethrows -> T {
    let ordered = Self.ordered(keys)
    for key in ordered { await acquire(key) }
    defer { for key in ordered.reversed() { release(key) } }
    return try await body()
  }

  /// `keys` sorted bytewise without duplicates: the order latches are taken in.
  static func ordered(_ keys: [Data]) -> [Data] {
    var ordered = Array(Set(keys))
    ordered.sort { $0.lexicographicallyPrecedes($1) }
    return ordered
  }

  /// The number of keys latched now (for tests and metrics).
  public var heldCount: Int { state.withLock { $0.count } }

  func acquire(_ key: Data) async {
    let free = state.withLock { held in
      guard held[key] == nil else { return false }
      held[key] = []
      return true
    }
    if free { return }
    await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
      let granted = state.withLock { held in
        if var waiters = held[key] {
          waiters.append(continuation)
          held[key] = waiters
          return false
        }
        held[key] = []
        return true
      }
      if granted { continuation.resume() }
    }
  }

  func release(_ key: Data) {
    let next: CheckedContinuation<Void, Never>? = state.withLock { held in
      guard var waiters = held[key] else {
        preconditionFailure("released a latch that is not held")
      }
      if waiters.isEmpty {
        held[key] = nil
        return nil
      }
      let next = waiters.removeFirst()
      held[key] = waiters
      return next
    }
    // The latch stays in the map: ownership passes straight to the waiter.
    next?.resume()
  }
}
