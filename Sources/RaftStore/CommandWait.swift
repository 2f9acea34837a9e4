import Synchronization

/// Waits for the store to answer a command through its callback, but no longer than `timeout`
/// and no longer than the waiting task lives: a leader cut off from its group may hold a
/// proposal until the partition heals, and the client must hear something before then.
///
/// - Parameters:
///   - timeout: how long to wait for the callback (enforced at the store's next tick).
///   - deadlines: the store's table of waiting commands, swept by its timer.
///   - what: the command, for the error message.
///   - send: hands the callback to the store; it is called exactly once, maybe after the wait
///     ended (then the answer is dropped).
/// - Throws: the command's failure, or `RaftStoreError.timeout` / `.cancelled` (for a write the
///   outcome is then unknown).
func waitForCallback<Value: Sendable>(
  timeout: Duration, deadlines: CommandDeadlines, what: String,
  _ send: (@escaping @Sendable (Result<Value, any Error>) -> Void) -> Void
) async throws -> Value {
  let answer = Answer<Value>()
  return try await withTaskCancellationHandler {
    try await withCheckedThrowingContinuation { continuation in
      answer.wait(with: continuation)
      send(
        callbackWithin(timeout: timeout, deadlines: deadlines, what: { what }) { answer.resume($0) })
    }
  } onCancel: {
    answer.resume(
      .failure(
        RaftStoreError(
          code: .cancelled, message: "\(what) was cancelled; its outcome is unknown")))
  }
}

/// A callback for a store command that passes `completion` the store's answer, or a timeout
/// failure if none came within `timeout` (enforced at the store's next tick), whichever is
/// first; the other is dropped. For callers that do not wait in a task (``waitForCallback``).
func callbackWithin<Value: Sendable>(
  timeout: Duration, deadlines: CommandDeadlines, what: @escaping @Sendable () -> String,
  completion: @escaping @Sendable (Result<Value, any Error>) -> Void
) -> @Sendable (Result<Value, any Error>) -> Void {
  let answer = FirstAnswer(completion)
  let deadline = deadlines.add(expiring: .now + timeout) {
    answer(
      .failure(
        RaftStoreError(
          code: .timeout,
          message: "\(what()) got no answer within \(timeout); its outcome is unknown")))
  }
  return { result in
    deadlines.remove(deadline)
    answer(result)
  }
}

/// Passes on the first answer it is given and drops the others.
private final class FirstAnswer<Value: Sendable>: Sendable {
  private let completion: Mutex<(@Sendable (Result<Value, any Error>) -> Void)?>

  init(_ completion: @escaping @Sendable (Result<Value, any Error>) -> Void) {
    self.completion = Mutex(completion)
  }

  func callAsFunction(_ result: Result<Value, any Error>) {
    let completion = completion.withLock { completion in
      defer { completion = nil }
      return completion
    }
    completion?(result)
  }
}

/// The first of several possible answers (callback, timer, cancellation) for one continuation,
/// whichever comes first, even before the continuation is there.
private final class Answer<Value: Sendable>: Sendable {
  private enum State {
    case empty
    case waiting(CheckedContinuation<Value, any Error>)
    case answered(Result<Value, any Error>)
    case done
  }
  private let state = Mutex(State.empty)

  func wait(with continuation: CheckedContinuation<Value, any Error>) {
    let early = state.withLock { state -> Result<Value, any Error>? in
      if case .answered(let result) = state {
        state = .done
        return result
      }
      state = .waiting(continuation)
      return nil
    }
    if let early { continuation.resume(with: early) }
  }

  func resume(_ result: Result<Value, any Error>) {
    let continuation = state.withLock { state -> CheckedContinuation<Value, any Error>? in
      switch state {
      case .empty:
        state = .answered(result)
        return nil
      case .waiting(let continuation):
        state = .done
        return continuation
      case .answered, .done:
        return nil
      }
    }
    continuation?.resume(with: result)
  }
}

/// The deadlines of a store's waiting commands, in one table that the store's timer sweeps
/// every tick: cheaper on the write path than a timer per command.
package final class CommandDeadlines: Sendable {
  private struct State {
    var nextID: UInt64 = 0
    var waiting: [UInt64: (deadline: ContinuousClock.Instant, expire: @Sendable () -> Void)] = [:]
  }
  private let state = Mutex(State())

  package init() {}

  /// Registers a command that `expire` fails once `deadline` has passed.
  /// - Returns: the entry, to ``remove(_:)`` when the command is answered.
  func add(
    expiring deadline: ContinuousClock.Instant, _ expire: @escaping @Sendable () -> Void
  ) -> UInt64 {
    state.withLock { state in
      defer { state.nextID += 1 }
      state.waiting[state.nextID] = (deadline, expire)
      return state.nextID
    }
  }

  /// Forgets an answered command.
  func remove(_ id: UInt64) { _ = state.withLock { $0.waiting.removeValue(forKey: id) } }

  /// Fails every command whose deadline is at or before `now` (the timer's tick).
  func expire(now: ContinuousClock.Instant = .now) {
    let expired = state.withLock { state -> [@Sendable () -> Void] in
      let ids = state.waiting.filter { $0.value.deadline <= now }.map(\.key)
      return ids.compactMap { state.waiting.removeValue(forKey: $0)?.expire }
    }
    for expire in expired { expire() }
  }
}
