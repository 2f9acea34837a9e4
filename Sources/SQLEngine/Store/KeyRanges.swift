import Foundation

/// Reading whole key ranges through a transaction.
enum KeyRanges {
  /// How many pairs one scan asks for.
  static let scanBatch = 1024

  /// The first key after every key starting with `prefix`.
  static func prefixEnd(_ prefix: Data) -> Data {
    var end = Array(prefix)
    while let last = end.last {
      if last < 0xFF {
        end[end.count - 1] = last + 1
        return Data(end)
      }
      end.removeLast()
    }
    return Data()
  }

  /// Every pair from `start` to `end` in the snapshot, merged with the transaction's own
  /// writes (its puts in, its deletes out), in key order.
  static func scanAll(
    _ txn: any KVTransaction, from start: Data, to end: Data
  ) async throws -> [(key: Data, value: Data)] {
    var snapshot: [(key: Data, value: Data)] = []
    var next = start
    while true {
      let part = try await txn.scan(from: next, to: end, limit: scanBatch)
      snapshot += part
      guard part.count == scanBatch, let last = part.last?.key else { break }
      next = last + Data([0])
    }
    return merge(snapshot, txn.bufferedWrites(from: start, to: end))
  }

  /// `snapshot` with `writes` applied: both in key order.
  static func merge(
    _ snapshot: [(key: Data, value: Data)], _ writes: [(key: Data, value: Data?)]
  ) -> [(key: Data, value: Data)] {
    guard !writes.isEmpty else { return snapshot }
    var merged: [(key: Data, value: Data)] = []
    merged.reserveCapacity(snapshot.count + writes.count)
    var i = 0
    var j = 0
    while i < snapshot.count || j < writes.count {
      if j == writes.count
        || (i < snapshot.count && snapshot[i].key.lexicographicallyPrecedes(writes[j].key))
      {
        merged.append(snapshot[i])
        i += 1
      } else {
        if i < snapshot.count && snapshot[i].key == writes[j].key { i += 1 }
        if let value = writes[j].value { merged.append((writes[j].key, value)) }
        j += 1
      }
    }
    return merged
  }
}
