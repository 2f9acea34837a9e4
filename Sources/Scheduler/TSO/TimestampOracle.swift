import Synchronization

/// The timestamp oracle: strictly increasing timestamps for the whole cluster.
///
/// Durability: the oracle keeps a *saved limit* on disk, a physical time strictly above every
/// physical time it has handed out. The limit is extended (with fsync) a window ahead of the
/// clock, normally by `extendWindow()` from a background loop and, if the clock jumps past the
/// limit, before the first timestamp beyond it. After a restart the oracle starts at
/// `max(wall clock, saved limit)`, so it never repeats or goes back, even across `kill -9` or a
/// wall clock stepped backwards.
///
/// Within a millisecond the logical part counts up; when a request would overflow it, the
/// request waits for the wall clock to reach the next millisecond (or, if the wall clock is
/// behind the oracle, moves the oracle one millisecond ahead, still inside the saved window).
final class TimestampOracle: Sendable {
  private struct State {
    /// Physical part of the last timestamp handed out (or the start point).
    var physical: Int64
    /// Logical part of the last timestamp handed out; 0 means none yet at `physical`.
    var logical: Int64
    /// Durable bound: every physical handed out is `< savedLimit`.
    var savedLimit: Int64
  }

  private let state: Mutex<State>
  private let storage: MetaStorage
  private let clock: any SchedulerClock
  private let windowMillis: Int64
  /// Serialises background extensions of the window (the request path writes under `state`).
  private let extending = Mutex(false)
  /// Requests served so far (batches, not timestamps), for statistics and tests.
  private let served = Atomic<Int>(0)

  /// How many requests (each for one or more timestamps) have been served.
  var requestCount: Int { served.load(ordering: .relaxed) }

  /// Resumes above the saved window and saves a new one before returning.
  /// - Parameter windowMillis: how far ahead of the clock the saved limit is kept.
  init(storage: MetaStorage, clock: any SchedulerClock, windowMillis: Int64 = 3000)
    throws(SchedulerError)
  {
    self.storage = storage
    self.clock = clock
    self.windowMillis = max(10, windowMillis)
    let saved = Int64(clamping: try storage.loadUInt64(MetaKey.tsoLimit) ?? 0)
    let start = max(clock.wallMillis(), saved)
    let limit = start + self.windowMillis
    try storage.saveUInt64(MetaKey.tsoLimit, UInt64(limit))
    state = Mutex(State(physical: start, logical: 0, savedLimit: limit))
  }

  /// Reserves `count` consecutive timestamps and returns the largest of them; the others are
  /// the `count - 1` timestamps just below it in the same millisecond.
  /// - Throws: `invalidArgument` for a count of 0 or of a millisecond's worth or more;
  ///   `storage` if the window could not be saved.
  func next(count: UInt32) async throws(SchedulerError) -> Timestamp {
    guard count > 0 else { throw .invalid("a TSO request must ask for at least one timestamp") }
    guard Int64(count) < Timestamp.maxLogical else {
      throw .invalid("a TSO request may ask for at most \(Timestamp.maxLogical - 1) timestamps")
    }
    served.add(1, ordering: .relaxed)
    while true {
      if let timestamp = try tryNext(count: Int64(count)) { return timestamp }
      // The millisecond is used up: wait for the clock's next one (rare: 262,144 per ms).
      try? await Task.sleep(for: .microseconds(100))
    }
  }

  /// One attempt: the largest timestamp of the batch, or nil if the millisecond is full.
  func tryNext(count: Int64) throws(SchedulerError) -> Timestamp? {
    let now = clock.wallMillis()
    return try state.withLock { state throws(SchedulerError) -> Timestamp? in
      if now > state.physical {
        state.physical = now
        state.logical = 0
      } else if state.logical + count >= Timestamp.maxLogical {
        // Overflow. If the wall clock has reached `physical`, wait for it to move on; if it is
        // behind (stepped back), waiting could take long: take the next millisecond instead.
        if now == state.physical { return nil }
        state.physical += 1
        state.logical = 0
      }
      if state.physical >= state.savedLimit {
        let limit = state.physical + windowMillis
        try storage.saveUInt64(MetaKey.tsoLimit, UInt64(limit))
        state.savedLimit = limit
      }
      state.logical += count
      return Timestamp(physical: state.physical, logical: state.logical)
    }
  }

  /// Saves a new limit a full window ahead once less than half a window is left. Called
  /// periodically, so that the request path almost never waits for a disk write. The write
  /// happens outside the request lock; the limit is raised only after it is durable.
  func extendWindow() throws(SchedulerError) {
    try extending.withLock { _ throws(SchedulerError) in
      let now = clock.wallMillis()
      let (physical, limit) = state.withLock { ($0.physical, $0.savedLimit) }
      let base = max(now, physical)
      guard limit - base < windowMillis / 2 else { return }
      let newLimit = base + windowMillis
      try storage.saveUInt64(MetaKey.tsoLimit, UInt64(newLimit))
      state.withLock { $0.savedLimit = max($0.savedLimit, newLimit) }
    }
  }

  /// The last timestamp handed out (or the start point), for status displays.
  var current: Timestamp {
    state.withLock { Timestamp(physical: $0.physical, logical: $0.logical) }
  }
}
