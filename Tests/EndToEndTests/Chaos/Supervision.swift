import TestSupport

/// What ``supervise(deadline:watch:_:)`` ended with: the body's result, or the error that ended
/// the run first (a ``ProcessDeath``, the deadline), and the body's task, which may still run.
struct Supervised<T: Sendable>: Sendable {
  var outcome: Result<T, any Error>
  let work: Task<T, any Error>

  /// Waits up to `grace` for the body to end (after a failure it was cancelled, and its
  /// clients stop once their servers are gone); returns whether it did.
  @discardableResult
  func settle(within grace: Duration) async -> Bool {
    let ended = OneShot<Bool>()
    let work = work
    Task {
      _ = await work.result; ended.resolve(true)
    }
    let timer = Task {
      try await Task.sleep(for: grace)
      ended.resolve(false)
    }
    defer { timer.cancel() }
    return await ended.value
  }
}

/// Runs `body` in a task of its own and returns as soon as the first of these happens, without
/// waiting for a body that does not notice cancellation:
/// - the body ends: its result;
/// - a process of `watch` dies by itself: that ``ProcessDeath`` (the body is cancelled);
/// - `deadline` passes: a `TestFailure` (the body is cancelled). Unlike Swift Testing's
///   `.timeLimit` (whole minutes, and it waits for the cancelled test to return), this ends a
///   test stuck in a wait that ignores cancellation.
func supervise<T: Sendable>(
  deadline: Duration, watch: DeathWatch, _ body: @escaping @Sendable () async throws -> T
) async -> Supervised<T> {
  let first = OneShot<Result<T, any Error>>()
  let work = Task { try await body() }
  Task { _ = first.resolve(await work.result) }
  watch.onDeath { _ = first.resolve(.failure($0)) }
  let timer = Task {
    try await Task.sleep(for: deadline)
    first.resolve(.failure(TestFailure("the chaos run passed its deadline of \(deadline)")))
  }
  let outcome = await first.value
  timer.cancel()
  work.cancel()
  return Supervised(outcome: outcome, work: work)
}
