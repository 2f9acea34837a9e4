import Engine
import Foundation
import TinyKVProto

/// A region's user data in the kv engine: the keys of its range in the data column families
/// (regions of one store share the engine; their ranges do not overlap).
enum RegionData {
  /// Adds to `batch` the deletion of every key in `region`'s range, in every data column
  /// family (before a snapshot's data is put in place, or when the peer is destroyed).
  static func clear(_ region: Metapb_Region, kvDB: Database, in batch: WriteBatch) throws {
    let bounds = KeyBounds(
      lower: region.startKey.isEmpty ? nil : region.startKey,
      upper: region.endKey.isEmpty ? nil : region.endKey)
    for cf in ColumnFamily.data {
      // Delete [start, last key + 0x00): a region with no end key has no upper bound.
      let iterator = try kvDB.iterator(cf, bounds: bounds)
      iterator.seekToLast()
      if iterator.isValid {
        try batch.deleteRange(cf, from: region.startKey, to: iterator.key + [0])
      }
      try iterator.checkStatus()
    }
  }
}
