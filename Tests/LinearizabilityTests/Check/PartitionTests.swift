import Linearizability
import Testing

@Suite("Partitions")
struct PartitionTests {
  @Test(
    "each key is searched alone: a history takes the sum of its keys' steps", arguments: [3, 4])
  func keysAreSearchedAlone(seed: UInt64) {
    let operations = SimulatedKVStore.history(seed: seed).operations()
    let keys = Set(operations.map(\.input.key))
    let perKey = keys.map { key in stepsToVerdict(operations.filter { $0.input.key == key }) }
    #expect(keys.count > 1)
    #expect(stepsToVerdict(operations) == perKey.reduce(0, +), "seed \(seed)")
  }

  /// The fewest search steps that give `operations` a verdict, found by bisection on the step
  /// budget.
  private func stepsToVerdict(_ operations: [KVOperation]) -> Int {
    func decides(_ steps: Int) -> Bool {
      let result = LinearizabilityChecker(model: KVModel(), budget: CheckBudget(steps: steps))
        .check(operations)
      if case .unknown = result { return false }
      return true
    }
    var high = 1
    while !decides(high) { high *= 2 }
    var low = 0  // does not decide
    while high - low > 1 {
      let middle = (low + high) / 2
      if decides(middle) { high = middle } else { low = middle }
    }
    return high
  }
}
