import Foundation
import TinyKVProto

/// What the scheduler knows of one region: its metadata (range, epoch, peers) and, from the
/// leader's last heartbeat, its leader, pending peers and approximate size.
public struct RegionInfo: Sendable, Equatable {
  /// Range, epoch and peers, as the leader reported them.
  public var meta: Metapb_Region
  /// The leader peer, if a leader has reported since start.
  public var leader: Metapb_Peer?
  /// Peers still catching up (not yet caught up with the leader's log).
  public var pendingPeers: [Metapb_Peer]
  /// Approximate size in MiB, at least 1 (an empty region still costs something to move; a
  /// zero size would make every move look free and let balancing chase its tail).
  public var approximateSizeMiB: UInt64
  /// The raft term of the leader that reported; 0 if unknown (loaded from disk, or a store that
  /// does not send it).
  public var term: UInt64

  /// A region as a heartbeat reports it; `approximateSizeBytes` is rounded down to MiB, at least 1.
  public init(
    meta: Metapb_Region, leader: Metapb_Peer? = nil, pendingPeers: [Metapb_Peer] = [],
    approximateSizeBytes: UInt64 = 0, term: UInt64 = 0
  ) {
    self.meta = meta
    self.leader = leader
    self.pendingPeers = pendingPeers
    approximateSizeMiB = max(1, approximateSizeBytes >> 20)
    self.term = term
  }

  /// The region id.
  public var id: UInt64 { meta.id }
  /// The first key of the range.
  public var startKey: Data { meta.startKey }
  /// The end key; empty means +infinity.
  public var endKey: Data { meta.endKey }
  /// Version (splits, merges) and conf version (membership changes).
  public var epoch: Metapb_RegionEpoch { meta.regionEpoch }
  /// Every peer, leader included.
  public var peers: [Metapb_Peer] { meta.peers }
  /// The stores holding a peer.
  public var storeIDs: Set<UInt64> { Set(meta.peers.map(\.storeID)) }

  /// The peer on `storeID`, if any.
  public func peer(onStore storeID: UInt64) -> Metapb_Peer? {
    meta.peers.first { $0.storeID == storeID }
  }

  /// Whether the peer with `peerID` is still catching up.
  public func isPending(peerID: UInt64) -> Bool {
    pendingPeers.contains { $0.id == peerID }
  }

  /// Peers other than the leader.
  public var followers: [Metapb_Peer] {
    meta.peers.filter { $0.id != leader?.id }
  }

  /// Whether `key` lies in `[startKey, endKey)`.
  public func contains(_ key: Data) -> Bool {
    !key.lexicographicallyPrecedes(startKey)
      && (endKey.isEmpty || key.lexicographicallyPrecedes(endKey))
  }
}

extension Metapb_RegionEpoch {
  /// Whether this epoch is older than `other` in version or in conf version.
  func isStale(comparedTo other: Metapb_RegionEpoch) -> Bool {
    version < other.version || confVer < other.confVer
  }
}
