import Synchronization

/// Waits for the store to answer a command through its callback, but no longer than `timeout`
/// and no longer than the waiting task lives: a leader cut off from its group may hold a
/// proposal until the partition heals, and the client must hear something before then.
///
/// - Parameters:
///   - timeout: how long to wait for the callback.
///   - what: the command, for the error message.
///   - send: hands the callback to the store; it is called exactly once, maybe after the wait
///     ended (then the answer is dropped).
/// - Throws: the command's failure, or `RaftStoreError.timeout` / `.cancelled` (for a write the
///   outcome is then unknown).
func waitForCallback<Value: Sendable>(
  timeout: Duration, what: String,
  _ send: (@escaping @Sendable (Result<Value, any Error>) -> Void) -> Void
) async throws -> Value {
  let answer = Answer<Value>()
  return try await withTaskCancellationHandler {
    try await withCheckedThrowingContinuation { continuation in
      answer.wait(with: continuation)
      let timer = Task {
        try await Task.sleep(for: timeout)
        answer.resume(
          .failure(
            RaftStoreError(
              code: .timeout,
              message: "\(what) got no answer within \(timeout); its outcome is unknown")))
      }
      send { result in
        timer.cancel()
        answer.resume(result)
      }
    }
  } onCancel: {
    answer.resume(
      .failure(
        RaftStoreError(
          code: .cancelled, message: "\(what) was cancelled; its outcome is unknown")))
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
