import Dispatch
import Foundation
import Testing

@testable import Failpoints

/// The registry is process-wide: every test uses failpoint names of its own.
@Suite(.serialized) struct FailpointsTests {
  @Test func unconfiguredPointsDoNothing() {
    #expect(Failpoints.evaluate("test::never-configured") == nil)
  }

  @Test func returnCarriesItsArgument() throws {
    try Failpoints.set("test::return", "return(disk full)")
    defer { Failpoints.remove("test::return") }
    #expect(Failpoints.evaluate("test::return") == .some("disk full"))
    try Failpoints.set("test::return", "return")
    #expect(Failpoints.evaluate("test::return") == .some(nil))
    Failpoints.remove("test::return")
    #expect(Failpoints.evaluate("test::return") == nil)
  }

  @Test func countsUseUpAndChainOn() throws {
    try Failpoints.set("test::chain", "2*return(a)->1*return(b)->off")
    defer { Failpoints.remove("test::chain") }
    let results = (0..<5).map { _ in Failpoints.evaluate("test::chain") }
    #expect(results == [.some("a"), .some("a"), .some("b"), nil, nil])
  }

  @Test func percentagesFollowTheSeed() throws {
    func run() throws -> [Bool] {
      try Failpoints.configureFromEnvironment([
        "TINYKV_FAILPOINTS": "test::percent=30%return", "TINYKV_FAILPOINTS_SEED": "99",
      ])
      defer { Failpoints.remove("test::percent") }
      return (0..<1000).map { _ in Failpoints.evaluate("test::percent") != nil }
    }
    let first = try run()
    let hits = first.filter { $0 }.count
    #expect((200...400).contains(hits), "30% of 1000 evaluations hit \(hits) times")
    #expect(try run() == first, "the same seed gives the same pattern")
  }

  @Test func sleepDelaysTheCaller() throws {
    try Failpoints.set("test::sleep", "1*sleep(50)")
    defer { Failpoints.remove("test::sleep") }
    let started = ContinuousClock.now
    #expect(Failpoints.evaluate("test::sleep") == nil)
    #expect(ContinuousClock.now - started >= .milliseconds(50))
  }

  @Test func pauseHoldsUntilThePointChanges() async throws {
    try Failpoints.set("test::pause", "pause")
    let released = DispatchSemaphore(value: 0)
    Thread.detachNewThread {
      _ = Failpoints.evaluate("test::pause")
      released.signal()
    }
    #expect(released.wait(timeout: .now() + .milliseconds(100)) == .timedOut)
    Failpoints.remove("test::pause")
    #expect(released.wait(timeout: .now() + .seconds(10)) == .success)
  }

  @Test func environmentEntriesAreParsedOrRejectedWhole() throws {
    let names = try Failpoints.configureFromEnvironment([
      "TINYKV_FAILPOINTS": "test::env-a=return; test::env-b = 5*sleep(1)->off"
    ])
    defer {
      Failpoints.remove("test::env-a")
      Failpoints.remove("test::env-b")
    }
    #expect(names == ["test::env-a", "test::env-b"])
    #expect(Failpoints.evaluate("test::env-a") == .some(nil))
    #expect(throws: FailpointError.self) {
      try Failpoints.configureFromEnvironment(["TINYKV_FAILPOINTS": "test::env-c=return;oops"])
    }
    #expect(Failpoints.evaluate("test::env-c") == nil, "a bad entry applies nothing")
  }

  @Test(arguments: [
    "teleport", "sleep", "sleep(x)", "150%return", "-1*return", "return(unclosed", "x*return",
  ])
  func malformedActionsAreRefused(_ actions: String) {
    #expect(throws: FailpointError.self) { try Failpoints.set("test::malformed", actions) }
    #expect(Failpoints.evaluate("test::malformed") == nil)
  }

  @Test func parsedChainsKeepEveryPart() throws {
    let chain = try FailAction.parseChain("25%3*delay(7)->print(hi)->panic")
    #expect(
      chain == [
        FailAction(task: .sleep(milliseconds: 7), percent: 25, remaining: 3),
        FailAction(task: .print("hi")),
        FailAction(task: .panic("")),
      ])
  }
}
