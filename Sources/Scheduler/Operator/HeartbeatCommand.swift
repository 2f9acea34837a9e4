import TinyKVProto

/// What the scheduler asks a region's leader to do, sent back on the region heartbeat stream.
public struct HeartbeatCommand: Sendable, Equatable {
  /// The change asked for.
  public enum Action: Sendable, Equatable {
    /// Add this peer (a conf change `AddNode`).
    case addPeer(Metapb_Peer)
    /// Remove this peer (a conf change `RemoveNode`).
    case removePeer(Metapb_Peer)
    /// Hand leadership to this peer.
    case transferLeader(Metapb_Peer)
  }

  /// The region the command is for.
  public var regionID: UInt64
  /// The region's epoch as the scheduler knows it.
  public var epoch: Metapb_RegionEpoch
  /// The leader the command is meant for.
  public var targetPeer: Metapb_Peer
  /// What to do.
  public var action: Action
}
