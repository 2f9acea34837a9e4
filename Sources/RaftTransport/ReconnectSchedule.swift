import Client

/// The delays between attempts to reach a store: exponential from `backoff.initial` to
/// `backoff.maximum`, each jittered down by up to half.
struct ReconnectSchedule {
  let backoff: Backoff
  private var ceiling: Duration

  init(_ backoff: Backoff) {
    self.backoff = backoff
    ceiling = backoff.initial
  }

  /// The delay before the next attempt; each call doubles the following one (up to the cap).
  mutating func nextDelay() -> Duration {
    let delay = ceiling
    ceiling = min(ceiling * 2, backoff.maximum)
    return delay * Double.random(in: 0.5...1)
  }

  /// Starts over from the initial delay (after a stream worked).
  mutating func reset() {
    ceiling = backoff.initial
  }
}
