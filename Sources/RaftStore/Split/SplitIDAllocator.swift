import TinyKVProto

/// The ids a split needs: the new region's, and one new peer id per peer of the region, in the
/// region's peer order (the new region's peer on each store gets the id at its position).
public struct SplitIDs: Sendable, Equatable {
  /// The new region's id.
  public var regionID: UInt64
  /// The new region's peer ids, one per peer of the splitting region, in its peer order.
  public var peerIDs: [UInt64]

  /// Ids from their parts.
  public init(regionID: UInt64, peerIDs: [UInt64]) {
    self.regionID = regionID
    self.peerIDs = peerIDs
  }
}

/// Hands out the ids of the region and peers a split creates (the scheduler's `AskSplit` in a
/// cluster; a counter in tests).
public protocol SplitIDAllocator: Sendable {
  /// Fresh ids for splitting `region`.
  func splitIDs(for region: Metapb_Region) async throws -> SplitIDs
}
