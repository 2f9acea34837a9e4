import Foundation
import Randomness
import TestSupport
import Testing

/// A bank over SQL (Tests/SQLClients/sql_bank.py): PyMySQL workers move money between
/// accounts in explicit transactions through `tinysql-server` over a 3-store cluster (3
/// replicas), retrying write conflicts and region errors, while the test kills (SIGKILL) a store
/// and restarts it. At the end the total is unchanged and no account is negative.
@Suite("SQLE2E: a bank over SQL through kill -9 of a store", .serialized)
struct SQLE2EBankTests {
  @Test(
    "transfers keep the total through kill -9 and restart of a store (SQL_SOAK_SECONDS: more rounds)",
    .enabled(
      if: ExternalClients.venvPresent || ExternalClients.onCI,
      "no venv at .build/tikv-clients-venv: run scripts/tikv-clients-venv.sh"),
    .timeLimit(.minutes(30)))
  func bankThroughStoreKill() async throws {
    try #require(ExternalClients.venvPresent, "CI=true but \(ExternalClients.python) is missing")
    let seed = SQLEndToEnd.seed("bankThroughStoreKill")
    var random = SplitMix64(seed: seed)
    let cluster = try await ClientsCluster.start()
    defer { cluster.stop() }
    let server = try await SQLEndToEnd.startServer(
      overCluster: cluster.pd, directory: cluster.directory)
    defer { server.stop(signal: SIGKILL) }
    let stopFile = cluster.directory.appending("bank.stop")
    let progressFile = cluster.directory.appending("bank.progress")
    let soak = SQLEndToEnd.soakSeconds
    let bank = Task {
      try await SQLEndToEnd.python(
        "sql_bank.py",
        [
          "--port", "\(server.port)", "--seed", "\(seed)", "--stop-file", stopFile,
          "--progress-file", progressFile, "--workers", "4", "--accounts", "10",
          "--max-seconds", "\(Int(soak ?? 0) + 300)",
        ], directory: cluster.directory, log: "sql_bank.log",
        timeout: .seconds(Int(soak ?? 0) + 420))
    }
    func commits() -> Int {
      guard let text = try? String(contentsOfFile: progressFile, encoding: .utf8),
        let value = text.split(separator: "=").last.flatMap({
          Int($0.trimmingCharacters(in: .whitespacesAndNewlines))
        })
      else { return 0 }
      return value
    }
    /// Waits until `count` more transfers committed than now (the bank makes progress).
    func waitForCommits(_ count: Int, _ what: String, timeout: Duration = .seconds(90))
      async throws
    {
      let target = commits() + count
      try await eventually(
        "\(count) more commits \(what)", timeout: timeout, every: .milliseconds(100)
      ) {
        if bank.isCancelled { return false }
        return commits() >= target
      }
    }

    var rounds = 0
    var previous: Int?
    do {
      try await waitForCommits(30, "before any kill")
      let soakEnd = soak.map { ContinuousClock.now + .seconds($0) }
      // Round 1 kills the store leading the most regions; round 2 another one, so that the
      // store restarted in round 1 must be in every majority (it caught up); soak rounds pick
      // any store but the last one.
      repeat {
        rounds += 1
        var victim = try await cluster.storeLeadingMostRegions()
        if let previous, victim == previous || rounds > 2 {
          let others = (0..<cluster.stores.count).filter { $0 != previous }
          victim = others[Int(random.next() % UInt64(others.count))]
        }
        print("round \(rounds): kill -9 of store \(victim) at \(commits()) commits")
        _ = cluster.stores[victim].stop(signal: SIGKILL)
        try await cluster.waitUntilNoRegionIsLed(byStorePort: cluster.storePorts[victim])
        try await waitForCommits(60, "with store \(victim) down")
        try await cluster.restartStore(victim)
        print("round \(rounds): store \(victim) restarted at \(commits()) commits")
        try await waitForCommits(60, "after store \(victim) restarted")
        previous = victim
      } while rounds < 2 || soakEnd.map { ContinuousClock.now < $0 } ?? false
    } catch {
      _ = FileManager.default.createFile(atPath: stopFile, contents: nil)
      let outcome = try? await bank.value
      Issue.record(
        """
        \(error)
        sql_bank.py: \(outcome?.output.suffix(6000) ?? "(no output)")
        \(SQLEndToEnd.tail(server))
        """)
      return
    }
    _ = FileManager.default.createFile(atPath: stopFile, contents: nil)
    let outcome = try await bank.value
    let summary = outcome.output.split(separator: "\n").filter { $0.hasPrefix("bank: ") }
      .joined(separator: "\n")
    print("sql_bank.py after \(rounds) kill/restart rounds (seed \(seed)):\n\(summary)")
    #expect(
      outcome.status == 0,
      """
      sql_bank.py exited with \(outcome.status) (seed \(seed)):
      \(outcome.output.suffix(8000))
      \(SQLEndToEnd.tail(server))
      """)
    #expect(server.isRunning, "tinysql-server exited:\n\(SQLEndToEnd.tail(server))")
  }
}
