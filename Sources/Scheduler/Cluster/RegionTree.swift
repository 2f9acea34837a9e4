import Foundation

/// The regions of the cluster, ordered by start key, with lookups by key and by id.
///
/// Invariant: the ranges of the regions in the tree never overlap; `insert` removes whatever
/// the new region overlaps. Entries are a sorted array (binary search for lookups); inserting a
/// region with a new start key moves the tail, which is cheap next to the per-heartbeat work
/// even at 100,000 regions, and most heartbeats do not change a range at all.
struct RegionTree: Sendable {
  private struct Entry: Sendable {
    var startKey: Data
    var regionID: UInt64
  }

  /// Sorted by `startKey`, strictly increasing.
  private var entries: [Entry] = []
  private var byID: [UInt64: RegionInfo] = [:]

  var count: Int { byID.count }
  var isEmpty: Bool { byID.isEmpty }

  /// Every region in key order.
  var all: [RegionInfo] { entries.compactMap { byID[$0.regionID] } }

  /// Every region, in no particular order (cheaper than `all`).
  var unordered: Dictionary<UInt64, RegionInfo>.Values { byID.values }

  func region(id: UInt64) -> RegionInfo? { byID[id] }

  /// The region at position `rank` in key order (`0..<count`), for sampling.
  func region(atRank rank: Int) -> RegionInfo? {
    rank >= 0 && rank < entries.count ? byID[entries[rank].regionID] : nil
  }

  /// The region whose range holds `key`.
  func region(containing key: Data) -> RegionInfo? {
    guard let index = lastIndex(startingAtOrBefore: key),
      let region = byID[entries[index].regionID], region.contains(key)
    else { return nil }
    return region
  }

  /// The region just before the one holding `key` (TinyKV's GetPrevRegion).
  func region(before key: Data) -> RegionInfo? {
    guard let index = lastIndex(startingAtOrBefore: key), index > 0 else { return nil }
    return byID[entries[index - 1].regionID]
  }

  /// Regions that overlap `[startKey, endKey)` (empty end = +infinity), in key order.
  func overlaps(startKey: Data, endKey: Data) -> [RegionInfo] {
    var result: [RegionInfo] = []
    var index = lastIndex(startingAtOrBefore: startKey) ?? 0
    while index < entries.count {
      let entry = entries[index]
      if !endKey.isEmpty && !entry.startKey.lexicographicallyPrecedes(endKey) { break }
      if let region = byID[entry.regionID],
        region.endKey.isEmpty || startKey.lexicographicallyPrecedes(region.endKey)
      {
        result.append(region)
      }
      index += 1
    }
    return result
  }

  /// Up to `limit` regions (all if `limit <= 0`) from the one holding `startKey` onwards,
  /// stopping before `endKey` (empty = no bound).
  func scan(startKey: Data, endKey: Data, limit: Int) -> [RegionInfo] {
    var result: [RegionInfo] = []
    var index = lastIndex(startingAtOrBefore: startKey) ?? 0
    if index < entries.count, let first = byID[entries[index].regionID],
      !first.endKey.isEmpty, !startKey.lexicographicallyPrecedes(first.endKey)
    {
      index += 1  // the region before startKey ends at or before it
    }
    while index < entries.count, limit <= 0 || result.count < limit {
      let entry = entries[index]
      if !endKey.isEmpty && !entry.startKey.lexicographicallyPrecedes(endKey) { break }
      if let region = byID[entry.regionID] { result.append(region) }
      index += 1
    }
    return result
  }

  /// Inserts or replaces `region`, removing every other region its range overlaps.
  /// - Returns: the regions removed because they overlapped (not the old version of `region`).
  @discardableResult
  mutating func insert(_ region: RegionInfo) -> [RegionInfo] {
    if let old = byID[region.id] {
      if old.startKey == region.startKey && old.endKey == region.endKey {
        byID[region.id] = region  // the common case: same range, new details
        return []
      }
      removeEntry(of: old)
      byID[region.id] = nil
    }
    let overlapped = overlaps(startKey: region.startKey, endKey: region.endKey)
    for other in overlapped {
      removeEntry(of: other)
      byID[other.id] = nil
    }
    let index = firstIndex(startingAtOrAfter: region.startKey)
    entries.insert(Entry(startKey: region.startKey, regionID: region.id), at: index)
    byID[region.id] = region
    return overlapped
  }

  /// Removes the region with `id`.
  @discardableResult
  mutating func remove(id: UInt64) -> RegionInfo? {
    guard let region = byID.removeValue(forKey: id) else { return nil }
    removeEntry(of: region)
    return region
  }

  private mutating func removeEntry(of region: RegionInfo) {
    let index = firstIndex(startingAtOrAfter: region.startKey)
    if index < entries.count, entries[index].regionID == region.id {
      entries.remove(at: index)
    }
  }

  /// Index of the first entry whose start key is `>= key`.
  private func firstIndex(startingAtOrAfter key: Data) -> Int {
    var low = 0
    var high = entries.count
    while low < high {
      let mid = (low + high) / 2
      if entries[mid].startKey.lexicographicallyPrecedes(key) { low = mid + 1 } else { high = mid }
    }
    return low
  }

  /// Index of the last entry whose start key is `<= key`.
  private func lastIndex(startingAtOrBefore key: Data) -> Int? {
    var low = 0
    var high = entries.count
    while low < high {
      let mid = (low + high) / 2
      if key.lexicographicallyPrecedes(entries[mid].startKey) { high = mid } else { low = mid + 1 }
    }
    return low == 0 ? nil : low - 1
  }
}
