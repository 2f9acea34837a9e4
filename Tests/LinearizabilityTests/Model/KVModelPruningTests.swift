import Linearizability
import Testing

@Suite("Key-value pruning")
struct KVModelPruningTests {
  private func prunable(_ partition: [KVOperation]) -> Set<Int> {
    KVModel().prunableOperations(in: partition)
  }

  @Test("a put with unknown outcome whose value no get returned is pruned, a read one is kept")
  func unobservedPut() {
    let partition = [
      put("k", "a", 0...10),
      unknown(.put(key: "k", value: "b"), calledAt: 20),
      unknown(.put(key: "k", value: "c"), calledAt: 25, client: 1),
      get("k", "c", 30...40, client: 2),
      unknown(.put(key: "k", value: "d"), calledAt: 50, client: 2),
    ]
    #expect(prunable(partition) == [1, 4])
  }

  @Test("a put with a known outcome is kept, read or not")
  func knownPut() {
    #expect(prunable([put("k", "a", 0...10), put("k", "b", 20...30)]).isEmpty)
  }

  @Test("a read with unknown outcome is pruned and observes nothing")
  func unknownRead() {
    let partition = [
      unknown(.get(key: "k"), calledAt: 0),
      unknown(.put(key: "k", value: "a"), calledAt: 5, client: 1),
    ]
    #expect(prunable(partition) == [0, 1])
  }

  @Test("deletes, writes of the value a missing key reads, are kept once a read saw it missing")
  func emptyValue() {
    let delete = unknown(.put(key: "k", value: ""), calledAt: 20)
    #expect(prunable([put("k", "a", 0...10), delete]) == [1])
    #expect(prunable([put("k", "a", 0...10), delete, get("k", "", 30...40)]).isEmpty)
  }

  @Test("on a key with appends only reads are pruned: a read returns a concatenation")
  func appends() {
    let partition = [
      unknown(.put(key: "k", value: "a"), calledAt: 0),
      unknown(.append(key: "k", value: "x"), calledAt: 5, client: 1),
      unknown(.get(key: "k"), calledAt: 6, client: 2),
      append("k", "y", 10...20, client: 3),
      get("k", "axy", 30...40, client: 3),
    ]
    #expect(prunable(partition) == [2])
    #expect(checkKV(partition).isLinearizable)
  }

  @Test("a write with unknown outcome read long after it was overwritten is kept")
  func lateRead() {
    let history = [
      put("k", "a", 0...10),
      unknown(.put(key: "k", value: "b"), calledAt: 20),
      put("k", "c", 30...40, client: 1),
      get("k", "c", 50...60, client: 1),
      get("k", "b", 1000...1010, client: 2),
    ]
    #expect(prunable(history).isEmpty)
    #expect(checkKV(history).isLinearizable)
  }
}
