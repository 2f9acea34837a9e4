import Raft
import TinyKVProto

extension Peer {
  /// Most entries a transferee may lag behind the leader and still be handed leadership
  /// (TiKV's `leader_transfer_max_log_lag`).
  static let transferMaxLogLag: UInt64 = 128

  /// Starts handing leadership to `peer` (a scheduler's operator step) if this peer leads the
  /// region at `epoch`, and `peer` is a member that answered within the last election timeout
  /// with a log close to this leader's; otherwise nothing happens (the scheduler asks again
  /// after the next heartbeat). A transfer holds back proposals until it completes or an
  /// election timeout passes: started towards a dead or far-behind peer, and asked again at
  /// every heartbeat, it would keep the region from taking writes (TiKV checks the same).
  func transferLeadership(to peer: Metapb_Peer, epoch: Metapb_RegionEpoch) {
    guard node.role == .leader, epoch == region.regionEpoch,
      region.peers.contains(where: { $0.id == peer.id }),
      let progress = node.status.progress[peer.id], progress.recentActive,
      progress.match + Self.transferMaxLogLag >= node.lastIndex
    else { return }
    node.transferLeader(to: peer.id)
  }
}
