import Foundation
import TinyKVProto

/// A region as a client's cache holds it: range, epoch and peers, and the peer believed to lead.
package struct CachedRegion: Sendable, Equatable {
  /// Range, epoch and peers.
  package var region: Metapb_Region
  /// The peer last known or guessed to lead; nil until someone says.
  package var leader: Metapb_Peer?

  /// A region and its leader, if known.
  package init(region: Metapb_Region, leader: Metapb_Peer?) {
    self.region = region
    self.leader = leader
  }

  init(_ location: RegionLocation) {
    self.init(region: location.region, leader: location.leader)
  }

  /// Where requests go: the leader if known, else the first peer (which tells us the leader).
  package var target: Metapb_Peer? { leader ?? region.peers.first }

  /// The request context that addresses `peer` of this region at its current epoch.
  package func context(for peer: Metapb_Peer) -> Kvrpcpb_Context {
    var context = Kvrpcpb_Context()
    context.regionID = region.id
    context.regionEpoch = region.regionEpoch
    context.peer = peer
    return context
  }

  /// The peer of this region on `storeID`, if it has one.
  func peer(onStore storeID: UInt64) -> Metapb_Peer? {
    region.peers.first { $0.storeID == storeID }
  }

  /// The peer after `peer` in the region's peer list, wrapping around.
  func peer(after peer: Metapb_Peer) -> Metapb_Peer? {
    guard let index = region.peers.firstIndex(of: peer) else { return region.peers.first }
    return region.peers[(index + 1) % region.peers.count]
  }
}
