import Linearizability
import Testing

@Suite("Pruning in the checker")
struct PruningTests {
  @Test("an operation with a known outcome is never pruned, whatever the model says")
  func knownOutcomesAreKept() throws {
    let history = staleReadHistory + [unknown(.put(key: "k", value: "z"), calledAt: 5, client: 2)]
    let checker = LinearizabilityChecker(model: PruningOverrideModel(pruning: .everything))
    let explanation = try #require(checker.check(history).explanation)
    #expect(explanation.prunedCount == 1)
    #expect(explanation.linearizedPrefix.map(\.index) == [0, 1])
    #expect(explanation.unplaced.map(\.index) == [2])
  }

  @Test("unobserved writes with unknown outcome no longer multiply the search")
  func unobservedWritesAreCheap() {
    // Fifty writes with unknown outcome, none read, then a read of the one acknowledged write.
    let unknownWrites = (0..<50).map {
      unknown(.put(key: "k", value: "u\($0)"), calledAt: 5, client: $0 + 1)
    }
    let history =
      [put("k", "a", 0...10)] + unknownWrites + (0..<20).map { get("k", "a", 20...30 + $0) }
    let budget = CheckBudget(steps: 10_000)
    let pruned = LinearizabilityChecker(model: KVModel(), budget: budget).check(history)
    #expect(pruned.isLinearizable)
    let unpruned = LinearizabilityChecker(
      model: PruningOverrideModel(pruning: .nothing), budget: budget
    ).check(history)
    #expect(!unpruned.isLinearizable && unpruned.explanation == nil, "\(unpruned)")
  }
}
