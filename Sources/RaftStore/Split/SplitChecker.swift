import Engine
import Foundation
import TinyKVProto

/// When a region is split (TiKV's and TinyKV's defaults: split at 96 MiB or 960,000 keys once
/// a region passes 144 MiB or 1,440,000 keys, so both halves have room to grow).
public struct SplitThresholds: Sendable, Equatable {
  /// A region larger than this (bytes of keys and values, all data column families) is split.
  public var maxSize: UInt64 = 144 << 20
  /// ... at the key where this many bytes lie before it.
  public var splitSize: UInt64 = 96 << 20
  /// A region with more keys than this is split.
  public var maxKeys: UInt64 = 1_440_000
  /// ... at the key where this many keys lie before it.
  public var splitKeys: UInt64 = 960_000

  /// The defaults.
  public init() {}
}

/// What a split check found in a region.
public struct SplitCheck: Sendable, Equatable {
  /// Bytes of keys and values seen (all of the region's, unless the scan stopped early at a
  /// split key).
  public var size: UInt64
  /// Keys seen, likewise.
  public var keys: UInt64
  /// Where to split, if the region is past a threshold; strictly inside the region.
  public var splitKey: Data?
}

/// Scans a region's data (the `default`, `lock` and `write` column families, merged in key
/// order) to measure it and find a split key, as TiKV's size and keys split checkers do.
///
/// `align` maps a key found in a column family to a split key that keeps together what must
/// stay in one region: the transaction layer strips the commit or start timestamp, so every
/// version of a user key stays on one side. The identity keeps raw keys as they are.
enum SplitChecker {
  static func check(
    _ snapshot: Snapshot, region: Metapb_Region, thresholds: SplitThresholds,
    align: (Data, ColumnFamily) -> Data = { key, _ in key }
  ) throws -> SplitCheck {
    let bounds = KeyBounds(
      lower: region.startKey.isEmpty ? nil : region.startKey,
      upper: region.endKey.isEmpty ? nil : region.endKey)
    var cursors = try ColumnFamily.data.map { cf in
      let iterator = try snapshot.iterator(cf, bounds: bounds)
      iterator.seekToFirst()
      return Cursor(cf: cf, iterator: iterator)
    }
    var result = SplitCheck(size: 0, keys: 0, splitKey: nil)
    var sizeKey: Data?
    var countKey: Data?
    while true {
      // The smallest current key across the column families.
      var smallest: Int?
      for (index, cursor) in cursors.enumerated() {
        guard let key = cursor.key else { continue }
        if let best = smallest, let bestKey = cursors[best].key,
          !key.lexicographicallyPrecedes(bestKey)
        {
          continue
        }
        smallest = index
      }
      guard let index = smallest, let key = cursors[index].key else { break }
      let cf = cursors[index].cf
      result.size += UInt64(key.count + cursors[index].iterator.valueCount)
      result.keys += 1
      if sizeKey == nil, result.size >= thresholds.splitSize {
        let candidate = align(key, cf)
        if region.canSplit(at: candidate) { sizeKey = candidate }
      }
      if countKey == nil, result.keys >= thresholds.splitKeys {
        let candidate = align(key, cf)
        if region.canSplit(at: candidate) { countKey = candidate }
      }
      if result.size > thresholds.maxSize, let sizeKey {
        result.splitKey = sizeKey
        return result
      }
      if result.keys > thresholds.maxKeys, let countKey {
        result.splitKey = countKey
        return result
      }
      cursors[index].advance()
    }
    for cursor in cursors { try cursor.iterator.checkStatus() }
    return result
  }

  /// One column family's iterator and its current key (copied once per position).
  private struct Cursor {
    let cf: ColumnFamily
    let iterator: DBIterator
    var key: Data?

    init(cf: ColumnFamily, iterator: DBIterator) {
      self.cf = cf
      self.iterator = iterator
      key = iterator.isValid ? iterator.key : nil
    }

    mutating func advance() {
      iterator.next()
      key = iterator.isValid ? iterator.key : nil
    }
  }
}
