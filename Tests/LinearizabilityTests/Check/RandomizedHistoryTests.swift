import Linearizability
import Testing

/// Seeds for the randomized tests: 1 through `LINEARIZABILITY_SEEDS` (default 20). A failure
/// names its seed as the test case's argument; rerun one with
/// `swift test --filter RandomizedHistoryTests`, raising the count to explore more.
private let seeds: [UInt64] = {
  let count = Environment.integer("LINEARIZABILITY_SEEDS") ?? 20
  return Array(1...UInt64(max(1, count)))
}()

@Suite("Randomized histories")
struct RandomizedHistoryTests {
  @Test("histories of an atomic store are linearizable", arguments: seeds)
  func atomicStoreIsAccepted(seed: UInt64) {
    let records = SimulatedKVStore.history(seed: seed)
    let result = checkKV(records.operations())
    #expect(result.isLinearizable, "seed \(seed): \(result)")
  }

  @Test("a read of a value it could not have seen is rejected", arguments: seeds)
  func corruptedReadIsRejected(seed: UInt64) throws {
    let records = SimulatedKVStore.history(seed: seed)
    let (corrupted, key) = try #require(SimulatedKVStore.corrupted(records, seed: seed))
    let explanation = try #require(checkKV(corrupted.operations()).explanation, "seed \(seed)")
    #expect(explanation.partition == key, "seed \(seed)")
    #expect(!explanation.unplaced.isEmpty, "seed \(seed)")
  }

  @Test("a history of many operations over many keys is checked")
  func largeHistory() {
    let options = SimulatedKVStore.Options(clients: 8, keys: 100, operationsPerClient: 1250)
    let records = SimulatedKVStore.history(seed: 7, options: options)
    #expect(records.count == 10_000)
    #expect(checkKV(records.operations()).isLinearizable)
  }
}
