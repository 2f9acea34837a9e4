import Client
import Foundation
import Linearizability
import TestSupport
import Testing

/// Swift Testing's bound on each chaos test, a backstop 2 minutes above the run's own deadline
/// (``ChaosSettings/deadline``, enforced by ``supervise(deadline:watch:_:)``): `.timeLimit` takes
/// whole minutes only, and waits for a test that ignores cancellation to return.
let chaosTimeLimit: TimeLimitTrait.Duration = .minutes(
  Int(ChaosSettings.fromEnvironment().deadline.components.seconds + 59) / 60 + 2)

/// The chaos harness (docs/CHAOS.md): the scheduler and 3-5 stores as processes, client
/// workloads, and a nemesis killing, pausing and partitioning one store at a time on a seeded
/// schedule. `CHAOS_SECONDS` (default 25) sets how long the faults last, `CHAOS_SEED` replays a
/// schedule, `CHAOS_STORES` (3-5) sets the stores, `CHAOS_NETNS=1` puts them in network
/// namespaces (the netns test always does, when the machine allows).
@Suite(
  "Chaos: faults from a seeded nemesis across processes", .serialized,
  .timeLimit(chaosTimeLimit))
struct ChaosTests {
  /// Raw clients give up on a request after 2 s (1 s per attempt) instead of 10 s, so that
  /// faults of 1-4 s leave writes of unknown outcome in the histories. Their writes carry a
  /// session (exactly once) unless `CHAOS_SESSIONS=0`: then a write of unknown outcome is
  /// `undetermined` instead of resent.
  static let impatient = {
    var options = RoutingOptions()
    options.timeout = .seconds(2)
    options.attemptTimeout = .seconds(1)
    options.writeSessions = ProcessInfo.processInfo.environment["CHAOS_SESSIONS"] != "0"
    return options
  }()

  /// Raw clients for the set-up and the checks after healing, where an answer that is slow
  /// (leaders still settling) is not a failure: 30 s per request, 3 s per attempt.
  static let patient = {
    var options = RoutingOptions()
    options.timeout = .seconds(30)
    return options
  }()

  /// Runs `body` with an impatient raw client for the workload (``impatient``) and a patient one
  /// (``patient``) for filling and checking.
  func withRawClients(
    _ cluster: ChaosCluster,
    _ body: (_ workload: ClusterRawClient, _ patient: ClusterRawClient) async throws -> Void
  ) async throws {
    try await ClusterRawClient.connect(scheduler: cluster.endpoint, options: Self.patient) {
      patient in
      try await ClusterRawClient.connect(scheduler: cluster.endpoint, options: Self.impatient) {
        try await body($0, patient)
      }
    }
  }

  /// Runs `nemesis` on `cluster` while the workload runs, then waits for the healed cluster;
  /// prints what happened and returns the faults.
  private func faults(
    _ settings: ChaosSettings, _ cluster: ChaosCluster, test: String
  ) async throws -> [Fault] {
    let regions = try await cluster.waitUntilHealthy()
    print("chaos \(test): \(regions) regions before the faults")
    let clock = ContinuousClock()
    let begin = clock.now
    let nemesis = Nemesis(seed: settings.seed, duration: settings.duration, only: settings.kinds)
    let faults = try await nemesis.run(cluster)
    let faulty = clock.now - begin
    let healedRegions = try await cluster.waitUntilHealthy()
    print(
      "chaos \(test): \(faults.count) faults in \(Fault.seconds(faulty)) "
        + "(\(Fault.tally(faults))), every store back after \(Fault.seconds(clock.now - begin)), "
        + "\(healedRegions) regions")
    return faults
  }

  /// ``faults(_:_:test:)`` while `clients` run; then `afterHealing`, and `stop` ends the
  /// clients, which are awaited however the faults end (when they fail, the clients are also
  /// cancelled, so that none waits out its request's time).
  func faults(
    _ settings: ChaosSettings, _ cluster: ChaosCluster, test: String,
    clients: Task<Void, Never>, stop: () -> Void, afterHealing: () async throws -> Void = {}
  ) async throws -> [Fault] {
    do {
      let faults = try await self.faults(settings, cluster, test: test)
      try await afterHealing()
      stop()
      await clients.value
      return faults
    } catch {
      stop()
      clients.cancel()
      await clients.value
      throw error
    }
  }

  /// Writes 4 KiB of filler beside each of `keys` so the key space splits into regions.
  func fill(_ kv: ClusterRawClient, beside keys: [String]) async throws {
    for key in keys {
      for filler in 0..<4 {
        try await kv.put(
          Data("\(key)-fill-\(filler)".utf8), Data(repeating: UInt8(ascii: "f"), count: 1024))
      }
    }
  }

  /// Writes a failing run's history to `<tmp>/chaos-<test>-<seed>.history.jsonl` (read it
  /// back with `HistoryFile.read`) and returns the path.
  func saveHistory<Input: Codable, Output: Codable>(
    _ records: [HistoryRecord<Input, Output>], test: String, seed: UInt64
  ) -> String {
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "chaos-\(test)-\(seed).history.jsonl")
    try? HistoryFile.write(records, to: file)
    print("chaos \(test): FAILED with seed \(seed); history in \(file.path)")
    return file.path
  }

  /// Records an issue naming the acknowledged writes that did not read back, with the history.
  func reportLost(_ lost: [String], _ writes: AcknowledgedWrites, test: String, seed: UInt64) {
    guard !lost.isEmpty else { return }
    let path = saveHistory(writes.history.records, test: test, seed: seed)
    let message =
      "seed \(seed): \(lost.count) acknowledged writes lost (history in \(path)): \(lost.prefix(10))"
    Issue.record("\(message)")
  }

  /// Prints the settings of test `test`, starts its cluster and runs `body` with them.
  private func chaos(
    _ test: String, _ body: @escaping @Sendable (ChaosSettings, ChaosCluster) async throws -> Void
  ) async throws {
    let settings = ChaosSettings.fromEnvironment()
    print(settings.banner(test))
    try await ChaosCluster.with(test, settings) { try await body(settings, $0) }
  }

  @Test("registers: raw reads and writes of a few keys stay linearizable per key")
  func registers() async throws {
    try await chaos("registers") { settings, cluster in
      try await withRawClients(cluster) { kv, patient in
        try await fill(patient, beside: settings.keys)
        let workload = Workload(seed: settings.seed, keys: settings.keys)
        let clients = Task {
          await workload.run(kv, writers: settings.writers, readers: settings.readers)
        }
        let faults = try await self.faults(
          settings, cluster, test: "registers", clients: clients, stop: workload.stop
        ) { try await workload.waitForAcknowledged(20, "after healing") }
        for key in settings.keys { try await workload.read(key, patient, client: 99) }
        let verdict = workload.check(seed: settings.seed, name: "chaos-registers")
        print(
          "chaos registers: \(faults.count) faults, \(workload.history.records.count) operations, "
            + "\(workload.unknownWrites) writes of unknown outcome, verdict \(verdict.label)")
      }
    }
  }

  @Test("bank: every snapshot of the accounts sums to the total")
  func bank() async throws {
    try await chaos("bank") { settings, cluster in
      try await ClusterTxnClient.connect(scheduler: cluster.endpoint) { db in
        let bank = BankWorkload(seed: settings.seed)
        try await bank.setUp(db)
        let clients = Task { await bank.run(db, transferrers: 4, readers: 2) }
        let faults = try await self.faults(
          settings, cluster, test: "bank", clients: clients, stop: bank.stop
        ) { try await Task.sleep(for: .seconds(2)) }
        var final: [Int]?
        try await eventually("a final snapshot read", timeout: .seconds(30)) {
          final = await bank.readAll(db, client: 99)
          return final != nil
        }
        let counts = bank.summary
        print(
          "chaos bank: \(faults.count) faults, \(counts.transfers) transfers committed, "
            + "\(counts.failedTransfers) failed (outcome unknown), \(counts.reads) snapshot reads, "
            + "\(counts.failedReads) failed; final balances \(final ?? [])")
        let violations = bank.violations.withLock { $0 }
        if !violations.isEmpty {
          let path = saveHistory(bank.history.records, test: "bank", seed: settings.seed)
          let first = violations.prefix(5).joined(separator: "; ")
          let message =
            "seed \(settings.seed): \(violations.count) snapshots off the total \(bank.total) "
            + "(history in \(path)); first: \(first)"
          Issue.record("\(message)")
        }
      }
    }
  }

  @Test("acknowledged writes: every acknowledged raw write reads back after the faults")
  func acknowledgedWrites() async throws {
    try await chaos("acknowledged-writes") { settings, cluster in
      try await withRawClients(cluster) { kv, patient in
        let writes = AcknowledgedWrites()
        let clients = Task { await writes.run(kv, writers: 4) }
        let faults = try await self.faults(
          settings, cluster, test: "acknowledged-writes", clients: clients, stop: writes.stop)
        let lost = try await writes.lostWrites(patient)
        print(
          "chaos acknowledged-writes: \(faults.count) faults, \(writes.acknowledgedCount) "
            + "acknowledged writes, \(writes.unknownCount) of unknown outcome, \(lost.count) lost, "
            + "\(try await cluster.regionCount()) regions")
        reportLost(lost, writes, test: "acknowledged-writes", seed: settings.seed)
      }
    }
  }
}

extension CheckResult {
  /// One word for the summary line.
  var label: String {
    switch self {
    case .linearizable: "linearizable"
    case .notLinearizable: "NOT linearizable"
    case .unknown: "unknown (budget)"
    }
  }
}
