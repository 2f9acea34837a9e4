import Foundation
import TinyKVProto

extension Data {
  /// Whether these bytes sort before `other` (bytewise, a prefix first).
  func sorts(before other: Data) -> Bool { lexicographicallyPrecedes(other) }
}

extension Metapb_Region {
  /// Whether `key` lies in `[startKey, endKey)` (an empty end key is +infinity).
  func contains(_ key: Data) -> Bool {
    !key.sorts(before: startKey) && (endKey.isEmpty || key.sorts(before: endKey))
  }

  /// Whether the two key ranges share a key.
  func overlaps(_ other: Metapb_Region) -> Bool {
    (endKey.isEmpty || other.startKey.sorts(before: endKey))
      && (other.endKey.isEmpty || startKey.sorts(before: other.endKey))
  }
}
