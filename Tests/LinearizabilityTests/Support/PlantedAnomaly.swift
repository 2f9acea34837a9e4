import Linearizability
import Randomness

/// A violation planted in a linearizable put/get history by changing what one read returned.
enum PlantedAnomaly: CaseIterable, CustomStringConvertible {
  /// A write with unknown outcome is read, a later read returns another value, and a read after
  /// that returns the first value again (A, B, A): the write took effect twice.
  case writeAppliedTwice
  /// A read called after an acknowledged put was overwritten by another acknowledged put
  /// returns the overwritten value.
  case staleRead

  var description: String {
    switch self {
    case .writeAppliedTwice: "a write applied twice (A, B, A)"
    case .staleRead: "a stale read after an acknowledged overwrite"
    }
  }

  /// Plants the anomaly at a place chosen with `seed`.
  /// - Returns: The changed history and the changed read's key, or `nil` when `records` offers
  ///   no place for it.
  func plant(in records: [HistoryRecord<KVInput, String>], seed: UInt64)
    -> (records: [HistoryRecord<KVInput, String>], key: String)?
  {
    let unknownWrites = Set(
      records.filter { $0.completion?.result == .unknown }.compactMap { record in
        if case .put(_, let value) = record.input { value } else { nil }
      })
    let byKey = Dictionary(
      grouping: records.indices.filter { records[$0].completion?.result != .unknown },
      by: { records[$0].input.key }
    ).mapValues { $0.sorted { records[$0].call < records[$1].call } }
    func isGet(_ index: Int) -> Bool { if case .get = records[index].input { true } else { false } }
    func value(_ index: Int) -> String {
      switch (records[index].input, records[index].completion?.result) {
      case (.put(_, let value), _), (.get, .ok(let value)?): value
      default: ""
      }
    }
    /// The first operation with a known outcome on `index`'s key, called after `index` returned,
    /// that `matches`.
    func next(after index: Int, where matches: (Int) -> Bool) -> Int? {
      let sameKey = byKey[records[index].input.key] ?? []
      let returned = records[index].completion?.time ?? .max
      let later = sameKey.startOfSuffix { records[$0].call > returned }
      return sameKey[later...].first(where: matches)
    }
    /// The read to change and the value it should return, starting from `first`.
    func place(from first: Int) -> (read: Int, value: String)? {
      switch self {
      case .writeAppliedTwice:
        guard isGet(first), unknownWrites.contains(value(first)),
          let other = next(after: first, where: { isGet($0) && value($0) != value(first) }),
          let again = next(after: other, where: isGet)
        else { return nil }
        return (again, value(first))
      case .staleRead:
        guard !isGet(first), let overwrite = next(after: first, where: { !isGet($0) }),
          let read = next(after: overwrite, where: isGet)
        else { return nil }
        return (read, value(first))
      }
    }
    let known = byKey.keys.sorted().flatMap { byKey[$0] ?? [] }
    var random = SplitMix64(seed: seed)
    guard let start = known.indices.randomElement(using: &random),
      let place = (known[start...] + known[..<start]).lazy.compactMap(place).first
    else { return nil }
    var changed = records
    changed[place.read].completion?.result = .ok(place.value)
    return (changed, records[place.read].input.key)
  }
}

extension Array {
  /// The index of the first element satisfying `predicate`, found by bisection: `predicate`
  /// must be false for a prefix of the array and true for the rest.
  fileprivate func startOfSuffix(where predicate: (Element) -> Bool) -> Int {
    var low = 0
    var high = count
    while low < high {
      let middle = (low + high) / 2
      if predicate(self[middle]) { high = middle } else { low = middle + 1 }
    }
    return low
  }
}
