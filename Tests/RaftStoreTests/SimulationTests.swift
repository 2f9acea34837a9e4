import Foundation
import Linearizability
import TestSupport
import Testing

@testable import RaftStore

/// Whole clusters driven from one thread by a seed (see `SimCluster`), with a log compacted
/// after a few entries so that lagging stores catch up through snapshots.
///
/// - `RAFTSTORE_SIM_SEED=s` replays seed s alone in every test below.
/// - `RAFTSTORE_SIM_SEEDS=n` also runs n more seeds (from `RAFTSTORE_SIM_SEED_START`, default
///   1,000) with crashes, partitions and duplicates on 5 stores (`seedSweep`).
@Suite struct SimulationTests {
  /// `defaults`, or the one seed of `RAFTSTORE_SIM_SEED`.
  static func seeds(_ defaults: [UInt64]) -> [UInt64] {
    ProcessInfo.processInfo.environment["RAFTSTORE_SIM_SEED"].flatMap { UInt64($0) }.map { [$0] }
      ?? defaults
  }

  /// The seeds of `seedSweep`.
  static var sweepSeeds: [UInt64] {
    let environment = ProcessInfo.processInfo.environment
    let count = environment["RAFTSTORE_SIM_SEEDS"].flatMap { UInt64($0) } ?? 0
    let start = environment["RAFTSTORE_SIM_SEED_START"].flatMap { UInt64($0) } ?? 1000
    return seeds(Array(start..<start + count))
  }

  /// What a run did: its event trace, and how many snapshots were streamed and installed.
  struct Outcome {
    var trace: [String]
    var snapshotsSent: Int
    var snapshotsInstalled: Int
    /// The writes and reads as the clients saw them.
    var operations: [ClientOperation<KVInput, String>]
  }

  /// Proposes writes until `count` are acknowledged, under message loss and (optionally)
  /// crashes and partitions, with ReadIndex reads along the way; checks that the history of
  /// writes and reads is linearizable, then heals and checks every store applied every
  /// acknowledged write. Writes go to distinct keys, or (`keys`) overwrite that many keys.
  /// With `mustInstallSnapshot`, the run goes on until a store has installed a snapshot too
  /// (what a seed does depends on every message the stores send, so a fixed seed alone would
  /// not keep covering it as the store changes).
  /// - Returns: the run's trace.
  static func run(
    seed: UInt64, count: Int, crashes: Bool, partitions: Bool = false, stores: Int = 3,
    keys keyCount: Int? = nil, splits: Bool = false, confChanges: Bool = false,
    mustInstallSnapshot: Bool = false
  ) throws -> Outcome {
    let cluster = try SimCluster(count: stores, seed: seed)
    cluster.dropPercent = 10
    cluster.crashes = crashes
    cluster.partitions = partitions
    cluster.splits = splits
    cluster.confChanges = confChanges
    var keys: [Int: String] = [:]
    func acknowledged() -> [Int] {
      cluster.outcomes.state.withLock { outcomes in
        outcomes.compactMap { number, result in
          if case .success = result { return number }
          return nil
        }
      }
    }
    var steps = 0
    defer {
      let admin = cluster.trace.filter {
        $0.hasPrefix("split") || $0.hasPrefix("addNode") || $0.hasPrefix("removeNode")
      }.count
      print(
        "SimulationTests seed \(seed): \(steps) steps, \(cluster.trace.count) events, "
          + "\(cluster.snapshotsSent) snapshots sent, \(cluster.snapshotsInstalled) installed, "
          + "\(admin) splits and membership changes asked")
    }
    while acknowledged().count < count || (mustInstallSnapshot && cluster.snapshotsInstalled == 0)
    {
      guard steps < 200_000 else {
        throw TestFailure(
          "seed \(seed): \(acknowledged().count) writes acknowledged, "
            + "\(cluster.snapshotsInstalled) snapshots installed in \(steps) steps")
      }
      // Keep a few writes in flight; retry (as a new write) what failed.
      let open = cluster.outcomes.state.withLock { outcomes in cluster.proposed - outcomes.count }
      if open < 3 {
        let number = cluster.proposed
        keys[number] = "key-\(keyCount.map { number % $0 } ?? number)"
        cluster.propose(keys[number]!, "value-\(number)")
      }
      // Now and then read a key whose write may or may not be acknowledged yet.
      if steps % 7 == 0, cluster.proposed > 0 {
        let number = Int(UInt64(steps / 7) % UInt64(cluster.proposed))
        cluster.read(keys[number]!, writtenBefore: acknowledged().contains(number))
      }
      try cluster.step()
      steps += 1
    }
    // Every write and read, as the clients saw them, must be linearizable (Porcupine's check
    // per key); a failing history is kept for replay.
    let reads = cluster.reads.state.withLock { $0 }
    let verdict = LinearizabilityChecker(
      model: KVModel(), budget: CheckBudget(timeout: .seconds(30))
    ).check(cluster.history.operations())
    if case .notLinearizable(let explanation) = verdict {
      let file = FileManager.default.temporaryDirectory.appendingPathComponent(
        "raftstore-sim-\(seed).history.jsonl")
      try? HistoryFile.write(cluster.history.records, to: file)
      Issue.record("seed \(seed): not linearizable (history in \(file.path))\n\(explanation)")
    }
    if case .unknown(let reason) = verdict { Issue.record("seed \(seed): no verdict: \(reason)") }
    #expect(reads.contains { $0.answered }, "seed \(seed): no read was answered")
    try cluster.heal()
    // After healing, every store holds every acknowledged write (distinct keys), or (keys
    // overwritten) all stores agree on each written key's value.
    let done = acknowledged()
    try cluster.run(maxSteps: 200_000) {
      if splits || confChanges {
        // Stores outside a region's membership hold none of its keys: check its members.
        return try done.allSatisfy { number in
          try cluster.replicasAgree(
            on: keys[number]!, value: keyCount == nil ? "value-\(number)" : nil)
        }
      }
      if keyCount == nil {
        return try cluster.storeIDs.allSatisfy { id in
          try done.allSatisfy { try cluster.local(id, keys[$0]!) == "value-\($0)" }
        }
      }
      return try Set(done.map { keys[$0]! }).allSatisfy { key in
        let values = try cluster.storeIDs.map { try cluster.local($0, key) }
        return values.first! != nil && Set(values).count == 1
      }
    }
    return Outcome(
      trace: cluster.trace, snapshotsSent: cluster.snapshotsSent,
      snapshotsInstalled: cluster.snapshotsInstalled, operations: cluster.history.operations())
  }

  @Test(arguments: seeds([1, 2, 3]))
  func acknowledgedWritesReachEveryStoreUnderLoss(seed: UInt64) throws {
    _ = try Self.run(seed: seed, count: 15, crashes: false)
  }

  @Test(arguments: seeds([11, 13, 15]))
  func acknowledgedWritesSurviveCrashes(seed: UInt64) throws {
    // A restarted store behind the compacted log catches up through a snapshot.
    let outcome = try Self.run(seed: seed, count: 40, crashes: true, mustInstallSnapshot: true)
    #expect(outcome.trace.contains { $0.hasPrefix("crash") }, "seed \(seed) crashed no store")
  }

  @Test(arguments: seeds([21, 22, 23]))
  func acknowledgedWritesSurvivePartitionsCrashesAndDuplicates(seed: UInt64) throws {
    let outcome = try Self.run(
      seed: seed, count: 30, crashes: true, partitions: true, stores: 5,
      mustInstallSnapshot: true)
    #expect(outcome.trace.contains { $0.hasPrefix("isolate") }, "seed \(seed) isolated no store")
  }

  @Test(arguments: seeds([31, 32, 33]))
  func overwritesOfFewKeysAreLinearizable(seed: UInt64) throws {
    _ = try Self.run(seed: seed, count: 60, crashes: false, partitions: true, keys: 5)
  }

  /// The check above can fail: the same history with one read answered by a value that was
  /// never written (or, stale, by the value before an acknowledged overwrite) is rejected.
  @Test func aCorruptedSimulationHistoryIsRejected() throws {
    let outcome = try Self.run(seed: 31, count: 60, crashes: false, partitions: true, keys: 5)
    var operations = outcome.operations
    let index = try #require(
      operations.firstIndex { operation in
        guard case .get = operation.input, case .returned(let value, _) = operation.completion
        else { return false }
        return !value.isEmpty
      })
    guard case .returned(_, let at) = operations[index].completion else { return }
    operations[index].completion = .returned("value-never-written", at: at)
    let verdict = LinearizabilityChecker(model: KVModel()).check(operations)
    let explanation = try #require(verdict.explanation)
    #expect(explanation.partition == operations[index].input.key)
  }

  /// TinyKV 3B's scenarios, seeded: membership changes, splits, and both, under message
  /// loss, with crashes (recovery), partitions and snapshots; every history checked.
  @Test(arguments: seeds([41, 42, 43]))
  func membershipChangesUnderLossCrashesAndPartitions(seed: UInt64) throws {
    let outcome = try Self.run(
      seed: seed, count: 40, crashes: true, partitions: true, stores: 5, confChanges: true)
    #expect(outcome.trace.contains { $0.hasPrefix("addNode") }, "seed \(seed) added no peer")
    #expect(outcome.trace.contains { $0.hasPrefix("removeNode") }, "seed \(seed) removed none")
  }

  @Test(arguments: seeds([51, 52, 53]))
  func splitsUnderLossCrashesAndPartitions(seed: UInt64) throws {
    let outcome = try Self.run(
      seed: seed, count: 40, crashes: true, partitions: true, stores: 3, splits: true)
    #expect(outcome.trace.contains { $0.hasPrefix("split") }, "seed \(seed) split nothing")
  }

  @Test(arguments: seeds([61, 62, 63]))
  func splitsAndMembershipChangesTogether(seed: UInt64) throws {
    _ = try Self.run(
      seed: seed, count: 40, crashes: true, partitions: true, stores: 5, splits: true,
      confChanges: true)
  }

  @Test(arguments: sweepSeeds)
  func seedSweep(seed: UInt64) throws {
    _ = try Self.run(seed: seed, count: 30, crashes: true, partitions: true, stores: 5)
  }

  @Test func aSeedReplaysExactly() throws {
    let first = try Self.run(seed: 42, count: 10, crashes: true, partitions: true)
    let second = try Self.run(seed: 42, count: 10, crashes: true, partitions: true)
    #expect(first.trace.count > 100)
    #expect(first.trace == second.trace)
  }
}
