import TinyKVProto

/// What the leader of a region reports about it in a region heartbeat.
public struct RegionHeartbeat: Sendable, Equatable {
  /// Range, epoch and peers.
  public var region: Metapb_Region
  /// The reporting leader.
  public var leader: Metapb_Peer
  /// Peers whose logs lag behind the leader's.
  public var pendingPeers: [Metapb_Peer]
  /// Bytes of data in the region, estimated.
  public var approximateSize: UInt64
  /// The leader's raft term, so the scheduler can tell a stepped-down leader's late report.
  public var term: UInt64

  /// A heartbeat of `region` from `leader`, the leader of `term`.
  public init(
    region: Metapb_Region, leader: Metapb_Peer, pendingPeers: [Metapb_Peer] = [],
    approximateSize: UInt64 = 0, term: UInt64 = 0
  ) {
    self.region = region
    self.leader = leader
    self.pendingPeers = pendingPeers
    self.approximateSize = approximateSize
    self.term = term
  }
}

/// An operator step the scheduler asks a region's leader to carry out.
public enum RegionOperation: Sendable, Equatable {
  /// Add or remove one peer (`conf_ver` + 1).
  case changePeer(Eraftpb_ConfChangeType, Metapb_Peer)
  /// Hand leadership to `peer`.
  case transferLeader(Metapb_Peer)
}
