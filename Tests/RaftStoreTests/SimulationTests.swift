import Foundation
import TestSupport
import Testing

@testable import RaftStore

/// Whole clusters driven from one thread by a seed (see `SimCluster`).
@Suite struct SimulationTests {
  /// Proposes writes of distinct keys until `count` are acknowledged, under message loss and
  /// (optionally) crashes, then heals and checks every store applied every acknowledged write.
  /// - Returns: the run's trace.
  static func run(
    seed: UInt64, count: Int, crashes: Bool, partitions: Bool = false, stores: Int = 3
  ) throws -> [String] {
    let cluster = try SimCluster(count: stores, seed: seed)
    cluster.dropPercent = 10
    cluster.crashes = crashes
    cluster.partitions = partitions
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
    defer { print("SimulationTests seed \(seed): \(steps) steps, \(cluster.trace.count) events") }
    while acknowledged().count < count {
      guard steps < 200_000 else {
        throw TestFailure("seed \(seed): only \(acknowledged().count) writes acknowledged")
      }
      // Keep a few writes in flight; retry (as a new write) what failed.
      let open = cluster.outcomes.state.withLock { outcomes in cluster.proposed - outcomes.count }
      if open < 3 {
        let number = cluster.proposed
        keys[number] = "key-\(number)"
        cluster.propose("key-\(number)", "value-\(number)")
      }
      // Now and then read a key whose write may or may not be acknowledged yet.
      if steps % 7 == 0, cluster.proposed > 0 {
        let number = Int(UInt64(steps / 7) % UInt64(cluster.proposed))
        cluster.read("key-\(number)", writtenBefore: acknowledged().contains(number))
      }
      try cluster.step()
      steps += 1
    }
    // ReadIndex reads are linearizable: one issued after its key's write was acknowledged
    // sees the write (an answered read sees "" when the key is absent).
    let reads = cluster.reads.state.withLock { $0 }
    for read in reads where read.answered && read.writtenBefore {
      let number = read.key.dropFirst("key-".count)
      #expect(read.value == "value-\(number)", "seed \(seed): stale read of \(read.key)")
    }
    #expect(reads.contains { $0.answered }, "seed \(seed): no read was answered")
    try cluster.heal()
    let done = acknowledged()
    try cluster.run(maxSteps: 200_000) {
      try cluster.storeIDs.allSatisfy { id in
        try done.allSatisfy { try cluster.local(id, keys[$0]!) == "value-\($0)" }
      }
    }
    return cluster.trace
  }

  @Test(arguments: [UInt64(1), 2, 3])
  func acknowledgedWritesReachEveryStoreUnderLoss(seed: UInt64) throws {
    _ = try Self.run(seed: seed, count: 15, crashes: false)
  }

  @Test(arguments: [UInt64(11), 12, 13])
  func acknowledgedWritesSurviveCrashes(seed: UInt64) throws {
    let trace = try Self.run(seed: seed, count: 40, crashes: true)
    #expect(trace.contains { $0.hasPrefix("crash") }, "seed \(seed) crashed no store")
  }

  @Test(arguments: [UInt64(21), 22, 23])
  func acknowledgedWritesSurvivePartitionsCrashesAndDuplicates(seed: UInt64) throws {
    let trace = try Self.run(seed: seed, count: 30, crashes: true, partitions: true, stores: 5)
    #expect(trace.contains { $0.hasPrefix("isolate") }, "seed \(seed) isolated no store")
  }

  @Test func aSeedReplaysExactly() throws {
    let first = try Self.run(seed: 42, count: 10, crashes: true, partitions: true)
    let second = try Self.run(seed: 42, count: 10, crashes: true, partitions: true)
    #expect(first.count > 100)
    #expect(first == second)
  }
}
