import Foundation
import TinyKVProto

extension ClusterRawClient {
  /// How many regions a scan that starts outside the cache loads at once.
  static let preloadedRegions: Int32 = 16

  /// Up to `limit` pairs of `cf` in ascending key order, from `start` (inclusive) to `end`
  /// (exclusive; empty: no bound), across as many regions as they span.
  ///
  /// The range is read region by region: each region's part is read from its leader, clipped to
  /// the region and to `end`, and the scan goes on from the region's end key until `limit`
  /// pairs are found or the range is done. Each region's part is one consistent read; the
  /// whole scan is not one snapshot.
  public func scan(
    from start: Data, to end: Data = Data(), limit: UInt32, cf: String = ""
  ) async throws -> [(key: Data, value: Data)] {
    var pairs: [(key: Data, value: Data)] = []
    var next = start
    if limit > 0, sender.cache.cachedRegion(containing: start) == nil {
      // One directory call for the regions ahead instead of one per region.
      try await sender.cache.preload(from: start, to: end, limit: Self.preloadedRegions)
    }
    while pairs.count < Int(limit) {
      if !end.isEmpty, !next.sorts(before: end) { break }
      let request = Kvrpcpb_RawScanRequest(from: next, limit: limit - UInt32(pairs.count), cf: cf)
      let (response, region) = try await sender.send("raw scan", key: next, request)
      try Self.check(response.error)
      for pair in response.kvs
      where region.contains(pair.key) && (end.isEmpty || pair.key.sorts(before: end)) {
        pairs.append((key: pair.key, value: pair.value))
        if pairs.count == Int(limit) { break }
      }
      if region.endKey.isEmpty { break }
      next = region.endKey
    }
    return pairs
  }
}
