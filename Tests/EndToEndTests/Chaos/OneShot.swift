import Synchronization

/// A value set once and awaited by any number of tasks: the first ``resolve(_:)`` wins, later
/// ones are ignored. Awaiting does not end on cancellation (the value always comes: a process
/// exit, a race's winner), so only await what is sure to be resolved.
final class OneShot<Value: Sendable>: Sendable {
  private struct State {
    var value: Value?
    var waiters: [CheckedContinuation<Value, Never>] = []
  }

  private let state = Mutex(State())

  init() {}

  /// Sets the value and wakes every waiter; returns false if it was already set.
  @discardableResult
  func resolve(_ value: Value) -> Bool {
    let waiters = state.withLock { state -> [CheckedContinuation<Value, Never>]? in
      guard state.value == nil else { return nil }
      state.value = value
      defer { state.waiters = [] }
      return state.waiters
    }
    guard let waiters else { return false }
    for waiter in waiters { waiter.resume(returning: value) }
    return true
  }

  /// The value, if set.
  var current: Value? { state.withLock { $0.value } }

  /// Waits for the value.
  var value: Value {
    get async {
      await withCheckedContinuation { continuation in
        let ready = state.withLock { state -> Value? in
          if let value = state.value { return value }
          state.waiters.append(continuation)
          return nil
        }
        if let ready { continuation.resume(returning: ready) }
      }
    }
  }
}
