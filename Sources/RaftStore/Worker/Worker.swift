import Dispatch
import Foundation
import Synchronization

/// One thread consuming a queue of items in batches: every item queued since its last batch at
/// once, in the order queued. The apply loop and the background workers are workers.
package final class Worker<Item: Sendable>: Sendable {
  /// States: running → stopping (no new items; the thread drains the queue) → exited.
  private struct State {
    var queue: [Item] = []
    var threadWaiting = false
    var stopping = false
  }

  private let state = Mutex(State())
  private let wake = DispatchSemaphore(value: 0)
  private let exited = DispatchSemaphore(value: 0)

  /// Starts thread `name` running `body`, which calls `take` for each batch until it returns
  /// nil (the worker stopped and the queue is empty).
  package init(
    name: String, _ body: @escaping @Sendable (_ take: () -> [Item]?) -> Void
  ) {
    let thread = Thread { [self] in
      body { self.take() }
      self.exited.signal()
    }
    thread.name = name
    thread.start()
  }

  /// Queues `items`.
  /// - Returns: false (nothing queued) once the worker is stopping.
  @discardableResult
  package func schedule(_ items: [Item]) -> Bool {
    guard !items.isEmpty else { return true }
    let (accepted, wakeThread) = state.withLock { state -> (Bool, Bool) in
      guard !state.stopping else { return (false, false) }
      state.queue.append(contentsOf: items)
      defer { state.threadWaiting = false }
      return (true, state.threadWaiting)
    }
    if wakeThread { wake.signal() }
    return accepted
  }

  /// Lets the thread finish what is queued, then waits for it to exit. Idempotent.
  package func stop() {
    let wakeThread = state.withLock { state -> Bool in
      guard !state.stopping else { return false }
      state.stopping = true
      defer { state.threadWaiting = false }
      return state.threadWaiting
    }
    if wakeThread { wake.signal() }
    exited.wait()
    exited.signal()  // later calls return at once
  }

  private func take() -> [Item]? {
    while true {
      let items = state.withLock { state -> [Item]? in
        if !state.queue.isEmpty {
          defer { state.queue.removeAll(keepingCapacity: true) }
          return state.queue
        }
        if state.stopping { return nil }
        state.threadWaiting = true
        return []
      }
      guard let items else { return nil }
      if !items.isEmpty { return items }
      wake.wait()
    }
  }
}
