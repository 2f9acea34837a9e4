import Client
import Foundation
import TestSupport
import Testing

/// The harness's own guarantees (docs/CHAOS.md): a process that ends by itself fails the run at
/// once with its log's tail, and a run past its deadline ends even if its body ignores
/// cancellation.
@Suite("Chaos harness: fails fast and cannot hang", .serialized, .timeLimit(.minutes(3)))
struct ChaosHarnessTests {
  /// How a store dies behind the harness's back.
  enum Death: String, CaseIterable, Sendable {
    /// `kill -9` from the test, not through ``ChaosCluster/kill(_:)``.
    case killed = "kill -9"
    /// The `raftstore::before-persist` failpoint's `panic`: the process exits (status 134).
    case panicked = "failpoint panic"
  }

  @Test(
    "a store that dies by itself fails the run at once, with its log's tail",
    arguments: Death.allCases)
  func storeDeathFailsFast(_ death: Death) async throws {
    let settings = ChaosSettings.fromEnvironment()
    let caused = OneShot<ContinuousClock.Instant>()
    let error = await #expect(throws: ProcessDeath.self) {
      try await ChaosCluster.with("fail-fast", settings) { cluster in
        switch death {
        case .killed:
          caused.resolve(.now)
          kill(await cluster.pid(of: 1), SIGKILL)
        case .panicked:
          try await cluster.failpoint(1, "PUT", "raftstore::before-persist", "panic(fail-fast)")
          caused.resolve(.now)
          // A write makes store 1 persist raft entries; one may fail when the store dies, or
          // time out on a loaded machine before it reached store 1: write until the run ends.
          try? await ClusterRawClient.connect(
            scheduler: cluster.endpoint, options: ChaosTests.patient
          ) { kv in
            while !Task.isCancelled { try? await kv.put(Data("fail-fast".utf8), Data("x".utf8)) }
          }
        }
        // Would hang the run for 10 minutes if the death went unnoticed.
        try await Task.sleep(for: .seconds(600))
      }
    }
    let failedAt = ContinuousClock.now
    let observed = try #require(error)
    let causedAt = try #require(caused.current)
    print(
      "chaos fail-fast (\(death.rawValue)): \(observed.name) \(observed.termination), seen "
        + "after \(observed.seenAt - causedAt), the run failed after \(failedAt - causedAt)")
    #expect(observed.name == "store-1")
    switch death {
    case .killed:
      #expect(!observed.termination.exited && observed.termination.status == SIGKILL)
    case .panicked:
      #expect(observed.termination.exited && observed.termination.status == 134)
      #expect(observed.logTail.contains("failpoint raftstore::before-persist panics: fail-fast"))
    }
    #expect(!observed.logTail.isEmpty && observed.description.contains(observed.logTail))
    // The exit is seen at once (the panic waits for a write to reach store 1), and the run
    // fails soon after (its processes stopped, their logs read): typically within 0.1 s and
    // 0.5 s (docs/CHAOS.md); the bounds leave room for a loaded machine and still catch a run
    // that waits for its deadline.
    #expect(observed.seenAt - causedAt < .seconds(death == .killed ? 5 : 15))
    #expect(failedAt - observed.seenAt < .seconds(10))
  }

  @Test("a run past its deadline fails at the deadline even if its body ignores cancellation")
  func deadlineEndsAHungBody() async throws {
    let gate = OneShot<Int>()
    let begin = ContinuousClock.now
    let supervised = await supervise(deadline: .milliseconds(300), watch: DeathWatch()) {
      await gate.value  // not ended by cancellation
    }
    let failure = #expect(throws: TestFailure.self) { try supervised.outcome.get() }
    #expect(failure?.description.contains("deadline") == true)
    #expect(ContinuousClock.now - begin < .seconds(5))
    gate.resolve(0)
    #expect(await supervised.settle(within: .seconds(5)))
  }
}
