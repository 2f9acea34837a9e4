import Linearizability
import Randomness

/// Generates histories of a simulated key-value store that applies each operation atomically at
/// a random instant inside the operation's interval, so every history it produces is
/// linearizable by construction.
///
/// Each client performs its operations one after another with random durations and pauses, so
/// the clients' operations overlap at random. Put values (`p<n>`) and append suffixes (`[a<n>]`)
/// are unique, so a read's value says which writes it saw. 2% of writes end with an unknown
/// outcome (half of those took effect), 2% failed for sure (no effect), and 2% of reads end
/// with an unknown outcome.
struct SimulatedKVStore {
  /// The shape of a generated history.
  struct Options {
    var clients = 8
    var keys = 5
    var operationsPerClient = 40
    /// The longest operation, in ticks.
    var maximumDuration: UInt64 = 30
  }

  /// A generated operation with the instant it took effect (`nil`: it had no effect).
  private struct Planned {
    var record: HistoryRecord<KVInput, String>
    var effect: UInt64?
  }

  /// Generates a history from `seed`.
  static func history(seed: UInt64, options: Options = Options()) -> [HistoryRecord<
    KVInput, String
  >] {
    var random = SplitMix64(seed: seed)
    var planned: [Planned] = []
    for client in 0..<options.clients {
      var time = UInt64.random(in: 0...10, using: &random)
      for _ in 0..<options.operationsPerClient {
        let end = time + UInt64.random(in: 1...options.maximumDuration, using: &random)
        planned.append(
          plan(client: client, id: planned.count, span: time...end, options: options, &random))
        time = end + UInt64.random(in: 1...10, using: &random)
      }
    }
    return apply(planned)
  }

  private static func plan(
    client: Int, id: Int, span: ClosedRange<UInt64>, options: Options,
    _ random: inout SplitMix64
  ) -> Planned {
    let key = "k\(Int.random(in: 0..<options.keys, using: &random))"
    let effect = UInt64.random(in: span, using: &random)
    let input: KVInput
    let roll = Int.random(in: 0..<100, using: &random)
    switch roll {
    case 0..<50: input = .get(key: key)
    case 50..<80: input = .put(key: key, value: "p\(id)")
    default: input = .append(key: key, value: "[a\(id)]")
    }
    let fate = Int.random(in: 0..<100, using: &random)
    var result = OperationResult<String>.ok("")
    var tookEffect = true
    if case .get = input {
      if fate < 2 { result = .unknown }
    } else if fate < 2 {
      result = .failed
      tookEffect = false
    } else if fate < 4 {
      result = .unknown
      tookEffect = fate < 3
    }
    let record = HistoryRecord(
      id: OperationID(rawValue: id), client: client, input: input, call: span.lowerBound,
      completion: RecordedCompletion(result: result, time: span.upperBound))
    return Planned(record: record, effect: tookEffect ? effect : nil)
  }

  /// Runs the operations that took effect in effect order and fills in what the gets read.
  private static func apply(_ planned: [Planned]) -> [HistoryRecord<KVInput, String>] {
    var records = planned.map(\.record)
    var values: [String: String] = [:]
    let effects = planned.indices.compactMap { index in planned[index].effect.map { (index, $0) } }
    for (index, _) in effects.sorted(by: { $0.1 < $1.1 }) {
      switch records[index].input {
      case .get(let key):
        if case .ok = records[index].completion?.result {
          records[index].completion?.result = .ok(values[key, default: ""])
        }
      case .put(let key, let value): values[key] = value
      case .append(let key, let value): values[key, default: ""] += value
      }
    }
    return records
  }

  /// Changes one successful get to return a value it could not have read: one put to the same
  /// key only after the get returned, or else a value never written.
  /// - Returns: The changed history and the changed get's key, or `nil` without a successful get.
  static func corrupted(
    _ records: [HistoryRecord<KVInput, String>], seed: UInt64
  ) -> (records: [HistoryRecord<KVInput, String>], key: String)? {
    var random = SplitMix64(seed: seed)
    let gets = records.indices.filter {
      if case .get = records[$0].input, case .ok = records[$0].completion?.result { return true }
      return false
    }
    guard let index = gets.randomElement(using: &random),
      let returned = records[index].completion?.time
    else { return nil }
    let key = records[index].input.key
    let later = records.compactMap { record -> String? in
      guard case .put(key, let value) = record.input, record.call > returned else { return nil }
      return value
    }
    var changed = records
    changed[index].completion?.result = .ok(later.first ?? "never-written")
    return (changed, key)
  }
}
