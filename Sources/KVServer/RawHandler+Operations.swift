import Engine
import Foundation
import Storage
import TinyKVProto

/// A key and its value, as the raw operations return them.
package struct RawPair: Sendable, Hashable {
  package var key: Data
  package var value: Data

  package init(key: Data, value: Data) {
    self.key = key
    self.value = value
  }
}

/// One change of a raw write.
package enum RawChange: Sendable, Hashable {
  case put(Data, Data)
  case delete(Data)
}

/// Which keys a raw scan visits, in which order, and how many pairs it returns.
package struct RawScanRange: Sendable, Hashable {
  /// Forward: the first key (inclusive; empty: the region's start). Reverse: the exclusive
  /// upper bound (empty: the region's end).
  package var start: Data
  /// Forward: the exclusive upper bound. Reverse: the inclusive lower bound. Empty: unbounded.
  package var end: Data
  /// The most pairs returned.
  package var limit: UInt32
  /// Whether values are left out.
  package var keyOnly: Bool
  /// Whether keys come in descending order.
  package var reverse: Bool

  package init(
    start: Data, end: Data = Data(), limit: UInt32, keyOnly: Bool = false, reverse: Bool = false
  ) {
    self.start = start
    self.end = end
    self.limit = limit
    self.keyOnly = keyOnly
    self.reverse = reverse
  }

  /// The iterator bounds: `[lower, upper)` whichever way the scan walks.
  var bounds: KeyBounds {
    let (lower, upper) = reverse ? (end, start) : (start, end)
    return KeyBounds(lower: lower.isEmpty ? nil : lower, upper: upper.isEmpty ? nil : upper)
  }
}

/// The raw operations both front ends (TinyKV's and TiKV's protocol) are made of. Each takes the
/// column family by name ("" is `default`) and throws what the storage throws (`RegionError`
/// among them) or `InvalidRequest`.
extension RawHandler {
  /// The pairs of those `keys` that have a value in `cf`, in request order, all read from one
  /// snapshot.
  package func values(
    of keys: [Data], cf: String, _ context: Kvrpcpb_Context
  ) async throws -> [RawPair] {
    let cf = try RawColumnFamily.parse(cf)
    let reader = try await storage.reader(context)
    return try keys.compactMap { key in
      try reader.get(cf, key).map { RawPair(key: key, value: $0) }
    }
  }

  /// Applies `changes` to `cf` atomically and durably (one `Storage.write`).
  package func write(_ changes: [RawChange], cf: String, _ context: Kvrpcpb_Context) async throws {
    let modifications = try Self.modifications(changes, cf: cf)
    guard !modifications.isEmpty else { return }
    try await storage.write(context, modifications)
  }

  /// As ``write(_:cf:_:)``, answering through `completion` instead of suspending
  /// (`Storage.write(_:_:completion:)`).
  package func write(
    _ changes: [RawChange], cf: String, _ context: Kvrpcpb_Context,
    completion: @escaping @Sendable (Result<Void, any Error>) -> Void
  ) {
    do {
      let modifications = try Self.modifications(changes, cf: cf)
      guard !modifications.isEmpty else { return completion(.success(())) }
      storage.write(context, modifications, completion: completion)
    } catch {
      completion(.failure(error))
    }
  }

  /// The modifications of a raw write: `changes` in `cf`.
  /// - Throws: `InvalidRequest` for an unknown column family or an empty key to put.
  private static func modifications(_ changes: [RawChange], cf: String) throws -> [Modification] {
    let cf = try RawColumnFamily.parse(cf)
    return try changes.map { change -> Modification in
      switch change {
      case .put(let key, let value):
        guard !key.isEmpty else { throw InvalidRequest("key must not be empty") }
        return .put(cf, key: key, value: value)
      case .delete(let key):
        return .delete(cf, key: key)
      }
    }
  }

  /// Removes every key of `cf` in `[start, end)` atomically and durably, as one range deletion.
  /// An empty `end` means up to the end of the region: the range then ends just after the last
  /// key present, read from a snapshot first (a key written concurrently beyond it survives, as
  /// if written after the deletion).
  /// - Throws: `InvalidRequest` if `end` is not after `start`.
  package func deleteRange(
    from start: Data, to end: Data, cf: String, _ context: Kvrpcpb_Context
  ) async throws {
    let family = try RawColumnFamily.parse(cf)
    var end = end
    if end.isEmpty {
      let reader = try await storage.reader(context)
      let iterator = try reader.iterator(family, bounds: KeyBounds(lower: start))
      iterator.seekToLast()
      guard iterator.isValid else { return try iterator.checkStatus() }
      end = iterator.key + [0]
    } else if !start.lexicographicallyPrecedes(end) {
      guard start == end else {
        throw InvalidRequest("invalid range: start_key must not be after end_key")
      }
      return
    }
    try await storage.write(context, [.deleteRange(family, start: start, end: end)])
  }

  /// The pairs of `cf` in `range`, in its order, all read from one snapshot and limited to the
  /// region's range.
  package func scan(
    _ range: RawScanRange, cf: String, _ context: Kvrpcpb_Context
  ) async throws -> [RawPair] {
    let cf = try RawColumnFamily.parse(cf)
    let reader = try await storage.reader(context)
    let iterator = try reader.iterator(cf, bounds: range.bounds)
    if range.reverse { iterator.seekToLast() } else { iterator.seekToFirst() }
    var pairs: [RawPair] = []
    pairs.reserveCapacity(Int(min(range.limit, 1024)))
    while iterator.isValid && pairs.count < Int(range.limit) {
      pairs.append(RawPair(key: iterator.key, value: range.keyOnly ? Data() : iterator.value))
      if range.reverse { iterator.prev() } else { iterator.next() }
    }
    try iterator.checkStatus()
    return pairs
  }
}
