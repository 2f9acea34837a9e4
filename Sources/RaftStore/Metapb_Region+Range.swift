import Foundation
import TinyKVProto

extension Metapb_Region {
  /// Whether `key` lies in the region's range `[start, end)` (an empty end: unbounded).
  package func contains(_ key: Data) -> Bool {
    !key.lexicographicallyPrecedes(startKey)
      && (endKey.isEmpty || key.lexicographicallyPrecedes(endKey))
  }

  /// Whether the region can split at `key`: inside its range and not its first key, so both
  /// halves are non-empty.
  package func canSplit(at key: Data) -> Bool {
    startKey.lexicographicallyPrecedes(key) && contains(key)
  }

  /// Whether the range `[start, end)` (an empty end: unbounded) overlaps the region's.
  package func overlaps(start: Data, end: Data) -> Bool {
    (endKey.isEmpty || start.lexicographicallyPrecedes(endKey))
      && (end.isEmpty || startKey.lexicographicallyPrecedes(end))
  }
}
