import Synchronization

/// A bounded queue of messages bound for one store, drained in batches by one consumer.
///
/// `offer` never blocks: it refuses a message when the queue is full or closed. `nextBatch`
/// hands the consumer everything queued so far, waiting if nothing is. States: open (with a
/// consumer waiting or not) → closed; closing wakes a waiting consumer with `nil`.
final class MessageQueue<Element: Sendable>: Sendable {
  private struct State {
    var buffer: [Element] = []
    var waiter: CheckedContinuation<[Element]?, Never>?
    var closed = false
  }

  /// The most messages the queue holds.
  let capacity: Int
  private let state = Mutex(State())

  init(capacity: Int) {
    self.capacity = max(1, capacity)
  }

  /// Queues `element`; false if the queue is full or closed (the caller drops it).
  func offer(_ element: Element) -> Bool {
    let waiter = state.withLock { state -> CheckedContinuation<[Element]?, Never>?? in
      guard !state.closed, state.buffer.count < capacity else { return .none }
      if let waiter = state.waiter {
        state.waiter = nil
        return .some(waiter)
      }
      state.buffer.append(element)
      return .some(nil)
    }
    switch waiter {
    case .none: return false
    case .some(.none): return true
    case .some(.some(let waiter)):
      waiter.resume(returning: [element])
      return true
    }
  }

  /// Everything queued, waiting until something is; nil once the queue is closed, and an empty
  /// batch if the waiting task is cancelled. One consumer at a time.
  func nextBatch() async -> [Element]? {
    await withTaskCancellationHandler {
      await withCheckedContinuation { (continuation: CheckedContinuation<[Element]?, Never>) in
        let ready = state.withLock { state -> [Element]?? in
          if !state.buffer.isEmpty {
            defer { state.buffer.removeAll(keepingCapacity: true) }
            return .some(state.buffer)
          }
          if state.closed { return .some(nil) }
          if Task.isCancelled { return .some([]) }
          state.waiter = continuation
          return .none
        }
        if let ready { continuation.resume(returning: ready) }
      }
    } onCancel: {
      let waiter = state.withLock { state in
        defer { state.waiter = nil }
        return state.waiter
      }
      waiter?.resume(returning: [])
    }
  }

  /// Whether ``close()`` was called.
  var isClosed: Bool { state.withLock { $0.closed } }

  /// Takes everything queued without waiting (to drop it).
  func drain() -> [Element] {
    state.withLock { state in
      defer { state.buffer.removeAll() }
      return state.buffer
    }
  }

  /// Refuses further messages and wakes the consumer; returns what was still queued.
  func close() -> [Element] {
    let (waiter, rest) = state.withLock { state in
      state.closed = true
      defer {
        state.waiter = nil
        state.buffer.removeAll()
      }
      return (state.waiter, state.buffer)
    }
    waiter?.resume(returning: nil)
    return rest
  }
}
