import Foundation
import Linearizability
import Testing

@Suite("History file")
struct HistoryFileTests {
  @Test("a saved history loads back equal and gets the same verdict", arguments: [false, true])
  func roundTrip(corrupt: Bool) throws {
    let generated = SimulatedKVStore.history(seed: 11)
    let records = try #require(
      corrupt ? SimulatedKVStore.corrupted(generated, seed: 11)?.records : generated)
    let url = FileManager.default.temporaryDirectory
      .appendingPathComponent("history-\(UUID().uuidString).jsonl")
    defer { try? FileManager.default.removeItem(at: url) }
    try HistoryFile.write(records, to: url)
    let loaded = try HistoryFile.read(from: url, as: HistoryRecord<KVInput, String>.self)
    #expect(loaded == records)
    let before = checkKV(records.operations())
    let after = checkKV(loaded.operations())
    #expect(before.isLinearizable == !corrupt)
    #expect(after.isLinearizable == before.isLinearizable)
    #expect(after.explanation?.description == before.explanation?.description)
  }

  @Test("the encoding is one sorted-key JSON object per line")
  func encoding() throws {
    let records = [
      HistoryRecord<KVInput, String>(
        id: OperationID(rawValue: 0), client: 2, input: .put(key: "k", value: "v"), call: 5,
        completion: RecordedCompletion(result: .ok(""), time: 9)),
      HistoryRecord<KVInput, String>(
        id: OperationID(rawValue: 1), client: 3, input: .get(key: "k"), call: 6, completion: nil),
    ]
    let text = try HistoryFile.encode(records)
    #expect(
      text == """
        {"call":5,"client":2,"completion":{"result":{"ok":{"_0":""}},"time":9},"id":{"rawValue":0},"input":{"put":{"key":"k","value":"v"}}}
        {"call":6,"client":3,"id":{"rawValue":1},"input":{"get":{"key":"k"}}}

        """)
    #expect(try HistoryFile.decode(text, as: HistoryRecord<KVInput, String>.self) == records)
  }

  @Test("a line that does not decode is named")
  func badLine() {
    let text =
      #"{"call":6,"client":3,"id":{"rawValue":1},"input":{"get":{"key":"k"}}}"# + "\n{oops\n"
    #expect {
      try HistoryFile.decode(text, as: HistoryRecord<KVInput, String>.self)
    } throws: { error in
      (error as? HistoryFileError)?.line == 2
    }
  }
}
