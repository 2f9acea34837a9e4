import Linearizability
import Testing

@Suite("Checker")
struct CheckerTests {
  @Test("an empty history is linearizable")
  func emptyHistory() {
    #expect(checkKV([]).isLinearizable)
  }

  @Test(
    "a budget that runs out gives no verdict",
    arguments: [
      (CheckBudget(steps: 10), "step budget exhausted"),
      (CheckBudget(timeout: .zero), "time budget exhausted"),
    ])
  func budget(_ budget: CheckBudget, expectedReason: String) {
    let history = (0..<50).map { put("k", "\($0)", 0...100, client: $0) }
    let result = LinearizabilityChecker(model: KVModel(), budget: budget).check(history)
    guard case .unknown(let reason) = result else {
      Issue.record("expected no verdict, got \(result)")
      return
    }
    #expect(reason == expectedReason)
  }

  @Test("a return before the call is read as the call")
  func returnBeforeCall() {
    let early = KVOperation(
      client: 1, input: .get(key: "k"), call: 30, completion: .returned("a", at: 25))
    let history = [put("k", "a", 0...10), get("k", "a", 20...20), early]
    #expect(checkKV(history).isLinearizable)
  }

  @Test(
    "the report shows the partition, what was pruned, the prefix, the state and the unplaced operations"
  )
  func reportText() throws {
    let history = [
      put("k", "a", 0...10),
      put("k", "b", 20...30, client: 1),
      unknown(.put(key: "k", value: "c"), calledAt: 35, client: 2),
      get("k", "c", 36...39, client: 4),
      unknown(.put(key: "k", value: "d"), calledAt: 37, client: 5),
      get("k", "a", 40...50, client: 3),
    ]
    let explanation = try #require(checkKV(history).explanation)
    let report = "\(explanation)"
    #expect(
      report == """
        not linearizable: partition k (6 operations, 1 of unknown outcome pruned)
        longest linearizable prefix (4 operations):
          1. [0, 10] client 0: put(k, "a")
          2. [20, 30] client 1: put(k, "b")
          3. [35, ∞] client 2: put(k, "c") -> ?
          4. [36, 39] client 4: get(k) -> "c"
        state after the prefix: "c"
        one of these must come next, before client 3's get(k) -> "a" returns at 50, but each is illegal in that state:
          [40, 50] client 3: get(k) -> "a"
        """)
  }

  @Test("a long prefix is shortened to its last operations")
  func longPrefix() throws {
    let writes = (0..<30).map { (index: UInt64) in put("k", "\(index)", index * 10...index * 10 + 5)
    }
    let explanation = try #require(checkKV(writes + [get("k", "0", 400...410)]).explanation)
    #expect(explanation.linearizedPrefix.count == 30)
    let report = "\(explanation)"
    #expect(report.contains("... 10 earlier operations"))
    #expect(!report.contains("  10. "))
    #expect(report.contains("  11. [100, 105] client 0: put(k, \"10\")"))
  }
}
