import Foundation
import Synchronization
import TinyKVProto

/// The regions of this store's peers as the raft loop last saw them: what an `EpochNotMatch`
/// answer draws on to name, besides the addressed region, the regions split off it since the
/// client's epoch (TiKV's clients then update their cache from one answer).
///
/// Refreshed by the raft loop after each peer handles its mail; a region may lag by a round,
/// which is fine for a hint the client checks against the epochs.
package final class StoreRegions: Sendable {
  private let regions = Mutex<[UInt64: Metapb_Region]>([:])

  package init() {}

  /// Records `region`'s current range and epoch.
  package func update(_ region: Metapb_Region) {
    regions.withLock { $0[region.id] = region }
  }

  /// Forgets region `regionID` (its peer here was destroyed).
  package func remove(_ regionID: UInt64) {
    _ = regions.withLock { $0.removeValue(forKey: regionID) }
  }

  /// The regions that follow `region` one after the other (each starting where the previous
  /// ends) with an epoch version above `version`: the regions split off `region` (a split keeps
  /// the left part) since a client saw it at `version`.
  package func splitOff(from region: Metapb_Region, since version: UInt64) -> [Metapb_Region] {
    regions.withLock { Self.splitOff(from: region, since: version, among: $0) }
  }

  /// ``splitOff(from:since:)`` among `regions` (the apply loop's own map).
  package static func splitOff(
    from region: Metapb_Region, since version: UInt64, among regions: [UInt64: Metapb_Region]
  ) -> [Metapb_Region] {
    var found: [Metapb_Region] = []
    var end = region.endKey
    while !end.isEmpty, found.count < regions.count,
      let next = regions.values.first(where: {
        $0.startKey == end && $0.regionEpoch.version > version
      })
    {
      found.append(next)
      end = next.endKey
    }
    return found
  }
}
