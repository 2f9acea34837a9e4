/// The pauses of one request: exponential with jitter, never past the request's deadline.
struct Backoffer {
  private let backoff: Backoff
  private var current: Duration

  init(_ backoff: Backoff) {
    self.backoff = backoff
    current = backoff.initial
  }

  /// Sleeps between half and all of the current delay (at most until `deadline`), then doubles
  /// the delay up to the maximum.
  mutating func pause(until deadline: ContinuousClock.Instant) async throws {
    let jittered = current * Double.random(in: 0.5...1)
    current = min(current * 2, backoff.maximum)
    let remaining = deadline - ContinuousClock.now
    guard remaining > .zero else { return }
    try await Task.sleep(for: min(jittered, remaining))
  }
}
