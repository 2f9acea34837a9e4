import Foundation

/// The raw key-value API, whether served by one store (`RawKVClient`) or routed across a
/// cluster's regions (`ClusterRawClient`), so tools can take either.
public protocol RawKeyValueClient: Sendable {
  /// The value of `key` in `cf` (an empty `cf` means `default`), or `nil` if it has none.
  func get(_ key: Data, cf: String) async throws -> Data?
  /// Sets `key` to `value` in `cf`.
  func put(_ key: Data, _ value: Data, cf: String) async throws
  /// Removes `key` from `cf`.
  func delete(_ key: Data, cf: String) async throws
  /// Up to `limit` pairs of `cf` in ascending key order, from `start` to `end` (exclusive;
  /// empty: no bound).
  func scan(from start: Data, to end: Data, limit: UInt32, cf: String) async throws -> [(
    key: Data, value: Data
  )]
}

extension ClusterRawClient: RawKeyValueClient {}

extension RawKVClient: RawKeyValueClient {
  /// Up to `limit` pairs of `cf` in ascending key order, from `start` to `end` (exclusive;
  /// empty: no bound). The store reads up to `limit` pairs; those at or past `end` are dropped.
  public func scan(from start: Data, to end: Data, limit: UInt32, cf: String = "") async throws
    -> [(key: Data, value: Data)]
  {
    let pairs = try await scan(from: start, limit: limit, cf: cf)
    guard !end.isEmpty else { return pairs }
    return pairs.filter { $0.key.sorts(before: end) }
  }
}
