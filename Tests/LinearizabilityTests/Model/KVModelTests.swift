import Linearizability
import Testing

@Suite("Key-value histories")
struct KVModelTests {
  @Test("a sequential history that follows the model is linearizable")
  func sequentialHistory() {
    let history = [
      get("k", "", 1...2),
      put("k", "a", 3...4),
      get("k", "a", 5...6),
      append("k", "b", 7...8),
      get("k", "ab", 9...10),
      put("k", "c", 11...12),
      get("k", "c", 13...14),
    ]
    #expect(checkKV(history).isLinearizable)
  }

  @Test(
    "overlapping writes and reads may take effect in either order",
    arguments: [
      ("a", "a"),  // b then a
      ("b", "b"),  // a then b
      ("", "a"),  // the read overlaps both writes and comes first
      ("a", "b"),  // the first read sees a between the writes
    ])
  func overlappingOrders(firstRead: String, secondRead: String) {
    let history = [
      put("k", "a", 0...10, client: 0),
      put("k", "b", 5...15, client: 1),
      get("k", firstRead, 2...12, client: 2),
      get("k", secondRead, 20...30, client: 2),
    ]
    #expect(checkKV(history).isLinearizable)
  }

  @Test("operations sharing an instant overlap")
  func sharedInstantOverlaps() {
    let history = [put("k", "a", 0...10), get("k", "", 10...12, client: 1)]
    #expect(checkKV(history).isLinearizable)
  }

  @Test("a read that returns a value overwritten before it was called is rejected")
  func staleRead() throws {
    let explanation = try #require(checkKV(staleReadHistory).explanation)
    #expect(explanation.partition == "k")
    #expect(explanation.linearizedPrefix.map(\.index) == [0, 1])
    #expect(explanation.stateAfterPrefix == "\"b\"")
    #expect(explanation.unplaced.map(\.index) == [2])
  }

  @Test("a completed write that later reads do not see is rejected")
  func lostWrite() throws {
    let history = [put("k", "a", 0...10), get("k", "", 20...30, client: 1)]
    let explanation = try #require(checkKV(history).explanation)
    #expect(explanation.deadline.index == 1)
    #expect(explanation.unplaced.map(\.text) == ["get(k) -> \"\""])
  }

  @Test("a read of a value never written is rejected")
  func valueNeverWritten() throws {
    let history = [put("k", "a", 0...10), get("k", "z", 5...30, client: 1)]
    let explanation = try #require(checkKV(history).explanation)
    #expect(explanation.unplaced.map(\.text) == ["get(k) -> \"z\""])
  }

  @Test("appends must be seen in their real-time order")
  func appendOrderViolation() throws {
    let history = [
      append("k", "x", 0...10),
      append("k", "y", 20...30),
      get("k", "yx", 40...50),
    ]
    let explanation = try #require(checkKV(history).explanation)
    #expect(explanation.stateAfterPrefix == "\"xy\"")
    #expect(explanation.unplaced.map(\.text) == ["get(k) -> \"yx\""])
  }

  @Test("concurrent appends may be seen in either order")
  func concurrentAppends() {
    for seen in ["xy", "yx"] {
      let history = [
        append("k", "x", 0...10),
        append("k", "y", 5...15, client: 1),
        get("k", seen, 20...30),
      ]
      #expect(checkKV(history).isLinearizable, "read \(seen)")
    }
  }

  @Test("a write with unknown outcome may have taken effect or not", arguments: ["a", "b"])
  func unknownWrite(read: String) {
    let history = [
      put("k", "a", 0...10),
      unknown(.put(key: "k", value: "b"), calledAt: 20),
      get("k", read, 30...40, client: 1),
      get("k", read, 50...60, client: 1),
    ]
    #expect(checkKV(history).isLinearizable)
  }

  @Test("a write with unknown outcome takes effect at most once, and not before its call")
  func unknownWriteBounds() throws {
    let flipFlop = [
      put("k", "a", 0...10),
      unknown(.put(key: "k", value: "b"), calledAt: 20),
      get("k", "b", 30...40, client: 1),
      get("k", "a", 50...60, client: 1),
    ]
    let flipFlopExplanation = try #require(checkKV(flipFlop).explanation)
    #expect(flipFlopExplanation.stateAfterPrefix == "\"b\"")

    let early = [
      unknown(.put(key: "k", value: "b"), calledAt: 20),
      get("k", "b", 5...15, client: 1),
    ]
    let earlyExplanation = try #require(checkKV(early).explanation)
    #expect(earlyExplanation.unplaced.map(\.index) == [1])
  }

  @Test("a read with unknown outcome constrains nothing")
  func unknownRead() {
    let history = [put("k", "a", 0...10), unknown(.get(key: "k"), calledAt: 5)]
    #expect(checkKV(history).isLinearizable)
  }

  @Test("a write known to have failed is not seen")
  func failedWriteIsNotSeen() throws {
    let history = History<KVInput, String>(clock: LogicalClock())
    history.complete(history.invoke(client: 0, .put(key: "k", value: "a")), .ok(""))
    history.complete(history.invoke(client: 1, .put(key: "k", value: "b")), .failed)
    history.complete(history.invoke(client: 0, .get(key: "k")), .ok("b"))
    let explanation = try #require(checkKV(history.operations()).explanation)
    #expect(explanation.operationCount == 2)
    #expect(explanation.unplaced.map(\.text) == ["get(k) -> \"b\""])
  }

  @Test("keys are checked independently and the report names the bad one")
  func partitionsPerKey() throws {
    let history = [
      put("k1", "a", 0...10),
      put("k2", "a", 0...10, client: 1),
      get("k1", "a", 20...30),
      put("k2", "b", 20...30, client: 1),
      get("k2", "a", 40...50, client: 2),
      get("k1", "a", 40...50),
    ]
    let explanation = try #require(checkKV(history).explanation)
    #expect(explanation.partition == "k2")
    #expect(explanation.operationCount == 3)
    #expect(explanation.unplaced.map(\.index) == [4])
  }
}
