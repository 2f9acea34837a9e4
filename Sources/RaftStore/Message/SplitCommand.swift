import Foundation
import TinyKVProto

/// A split of a region at a key, decided by a split check or asked for by an operator.
package struct SplitCommand: Sendable {
  /// The first key of the new region (the region keeps the keys before it).
  package var key: Data
  /// The region's epoch the split was decided at; refused at any other.
  package var epoch: Metapb_RegionEpoch
  /// The new region's ids; nil until the allocator gave them.
  package var ids: SplitIDs?
  /// Called once the split is applied or has failed, if given.
  package var callback: WriteCallback?
}

/// A split the apply loop applied, for the raft loop to update the region's peer and create the
/// new region's.
package struct AppliedSplit: Sendable {
  /// The region after the split: the keys before the split key, `version` + 1.
  package var left: Metapb_Region
  /// The new region: the keys from the split key on, its peers on the same stores.
  package var right: Metapb_Region
  /// Whether the new region's state was written here (not when this store already has a
  /// tombstone of it: its peer here was removed before this one applied the split).
  package var createsRight: Bool
}
