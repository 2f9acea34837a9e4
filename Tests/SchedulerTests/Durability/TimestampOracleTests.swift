import Testing

@testable import Scheduler

@Suite("Timestamp oracle")
struct TimestampOracleTests {
  @Test("timestamps increase strictly and a batch's reply is its largest timestamp")
  func strictlyIncreasing() async throws {
    let directory = TempDirectory()
    let clock = ManualClock()
    let storage = try MetaStorage(path: directory.path)
    defer { storage.close() }
    let tso = try TimestampOracle(storage: storage, clock: clock)
    var last = Timestamp(physical: 0, logical: 0)
    for round in 0..<200 {
      if round % 10 == 0 { clock.advance(1) }
      let count = UInt32(round % 5 + 1)
      let largest = try await tso.next(count: count)
      let smallest = Timestamp(
        physical: largest.physical, logical: largest.logical - Int64(count) + 1)
      #expect(smallest > last)
      #expect(smallest.logical >= 1)
      last = largest
    }
  }

  @Test("a request for zero timestamps is refused")
  func zeroRefused() async throws {
    let directory = TempDirectory()
    let storage = try MetaStorage(path: directory.path)
    defer { storage.close() }
    let tso = try TimestampOracle(storage: storage, clock: ManualClock())
    await #expect(throws: SchedulerError.self) { _ = try await tso.next(count: 0) }
  }

  @Test("a full millisecond waits for the next one instead of repeating")
  func logicalOverflow() async throws {
    let directory = TempDirectory()
    let clock = ManualClock()
    let storage = try MetaStorage(path: directory.path)
    defer { storage.close() }
    let tso = try TimestampOracle(storage: storage, clock: clock)
    let first = try await tso.next(count: UInt32(Timestamp.maxLogical - 2))
    // The millisecond is nearly full: the next request cannot fit until the clock moves.
    #expect(try tso.tryNext(count: 5) == nil)
    clock.advance(1)
    let second = try await tso.next(count: 5)
    #expect(second.physical == first.physical + 1)
    #expect(second.logical == 5)
  }

  @Test(
    "after a restart, even with the wall clock stepped back, timestamps stay above the old ones")
  func restartAndClockStepBack() async throws {
    let directory = TempDirectory()
    let clock = ManualClock(wall: 1_700_000_000_000)
    var last = Timestamp(physical: 0, logical: 0)
    for restart in 0..<4 {
      let storage = try MetaStorage(path: directory.path)
      let tso = try TimestampOracle(storage: storage, clock: clock, windowMillis: 3000)
      for _ in 0..<50 {
        clock.advance(97)  // crosses the saved window several times
        try tso.extendWindow()
        let timestamp = try await tso.next(count: 3)
        #expect(timestamp > last, "restart \(restart)")
        last = timestamp
      }
      storage.close()  // as if killed: nothing but what is on disk survives
      clock.setWall(clock.wallMillis() - 60_000)  // the wall clock steps back a minute
    }
  }

  @Test("the saved limit stays ahead of every timestamp handed out")
  func savedLimitAhead() async throws {
    let directory = TempDirectory()
    let clock = ManualClock()
    let storage = try MetaStorage(path: directory.path)
    defer { storage.close() }
    let tso = try TimestampOracle(storage: storage, clock: clock, windowMillis: 100)
    for _ in 0..<100 {
      clock.advance(37)
      let timestamp = try await tso.next(count: 1)
      let limit = try #require(try storage.loadUInt64(MetaKey.tsoLimit))
      #expect(UInt64(timestamp.physical) < limit)
    }
  }
}
