import Linearizability
import Randomness

/// Generates the history of an overwrite workload against a store that is killed now and then,
/// linearizable by construction.
///
/// Clients put unique values (`c<client>-<n>`) to a few keys and read them, one operation after
/// another; times are milliseconds. Each kill takes the store down for a while: every operation
/// in flight at the kill or sent during the outage times out with unknown outcome (the client
/// moves on after its timeout), and such a write either never takes effect or takes effect at
/// some instant between its call and the store's return, so the last one applied on a key is
/// usually read afterwards and the others are overwritten unobserved. Every other operation
/// takes effect at a random instant inside its interval, and reads return what was applied last.
struct KilledStoreWorkload {
  /// The shape of a generated history.
  struct Options {
    var clients = 20
    var keys = 8
    /// How long the clients run, in milliseconds.
    var duration: UInt64 = 300_000
    /// How many times the store is killed, spread over the run.
    var kills = 10
    /// How long the store stays down after a kill.
    var outage: ClosedRange<UInt64> = 1_000...3_000
    /// How long an operation takes when the store is up.
    var latency: ClosedRange<UInt64> = 2...50
    /// How long a client waits between operations.
    var pause: ClosedRange<UInt64> = 20...150
    /// When a client gives up on an operation the store does not answer.
    var timeout: UInt64 = 250
  }

  /// What became of the writes with unknown outcome.
  struct Census {
    var operations = 0
    var unknownWrites = 0
    /// Took effect and a read with a known answer returned the value.
    var appliedAndRead = 0
    /// Took effect and was overwritten before any such read.
    var appliedUnobserved = 0
    var neverApplied = 0
  }

  /// A generated operation with the instant it took effect (`nil`: it had no effect).
  private struct Planned {
    var record: HistoryRecord<KVInput, String>
    var effect: UInt64?
  }

  /// Generates a history from `seed`.
  static func history(seed: UInt64, options: Options = Options())
    -> (records: [HistoryRecord<KVInput, String>], census: Census)
  {
    var random = SplitMix64(seed: seed)
    let outages = outages(options, &random)
    var planned: [Planned] = []
    for client in 0..<options.clients {
      var time = UInt64.random(in: options.pause, using: &random)
      var writes = 0
      while time < options.duration {
        let key = "k\(Int.random(in: 0..<options.keys, using: &random))"
        var input = KVInput.get(key: key)
        if Bool.random(using: &random) {
          writes += 1
          input = .put(key: key, value: "c\(client)-\(writes)")
        }
        let end = time + UInt64.random(in: options.latency, using: &random)
        let record = HistoryRecord<KVInput, String>(
          id: OperationID(rawValue: planned.count), client: client, input: input, call: time,
          completion: RecordedCompletion(result: .ok(""), time: end))
        if let outage = outages.first(where: { time < $0.upperBound && $0.lowerBound <= end }) {
          planned.append(timedOut(record, storeBack: outage.upperBound, &random))
          time += options.timeout
        } else {
          planned.append(Planned(record: record, effect: .random(in: time...end, using: &random)))
          time = end
        }
        time += UInt64.random(in: options.pause, using: &random)
      }
    }
    let records = apply(planned)
    return (records, census(planned, records))
  }

  /// The store's outages: one kill in each of `kills` equal slices of the run.
  private static func outages(_ options: Options, _ random: inout SplitMix64)
    -> [Range<UInt64>]
  {
    let slice = options.duration / UInt64(options.kills)
    return (0..<UInt64(options.kills)).map { index in
      let kill = index * slice + .random(in: slice / 4...slice / 2, using: &random)
      return kill..<kill + .random(in: options.outage, using: &random)
    }
  }

  /// An operation the store did not answer: a write took effect (two times in three) by the
  /// time the store came back, or never.
  private static func timedOut(
    _ record: HistoryRecord<KVInput, String>, storeBack: UInt64, _ random: inout SplitMix64
  ) -> Planned {
    var record = record
    record.completion?.result = .unknown
    guard case .put = record.input, Int.random(in: 0..<3, using: &random) > 0 else {
      return Planned(record: record, effect: nil)
    }
    return Planned(record: record, effect: .random(in: record.call...storeBack, using: &random))
  }

  /// Runs the operations that took effect in effect order and fills in what the gets read.
  private static func apply(_ planned: [Planned]) -> [HistoryRecord<KVInput, String>] {
    var records = planned.map(\.record)
    var values: [String: String] = [:]
    let effects = planned.indices.compactMap { index in planned[index].effect.map { (index, $0) } }
    for (index, _) in effects.sorted(by: { ($0.1, $0.0) < ($1.1, $1.0) }) {
      switch records[index].input {
      case .get(let key): records[index].completion?.result = .ok(values[key, default: ""])
      case .put(let key, let value): values[key] = value
      case .append: preconditionFailure("the workload does not append")
      }
    }
    return records
  }

  private static func census(_ planned: [Planned], _ records: [HistoryRecord<KVInput, String>])
    -> Census
  {
    var read = Set<String>()
    for record in records {
      if case .get = record.input, case .ok(let value)? = record.completion?.result {
        read.insert(value)
      }
    }
    var census = Census(operations: records.count)
    for (plan, record) in zip(planned, records) {
      guard case .put(_, let value) = record.input, case .unknown = record.completion?.result
      else { continue }
      census.unknownWrites += 1
      if plan.effect == nil {
        census.neverApplied += 1
      } else if read.contains(value) {
        census.appliedAndRead += 1
      } else {
        census.appliedUnobserved += 1
      }
    }
    return census
  }
}
