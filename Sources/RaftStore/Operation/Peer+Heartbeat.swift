import Raft
import TinyKVProto

extension Peer {
  /// On each tick: a leader sends a region heartbeat every `regionHeartbeatTicks`, and at once
  /// in a term it has not reported yet (so the scheduler learns of a new leader quickly).
  func tickRegionHeartbeat() {
    ticksSinceHeartbeat += 1
    guard node.role == .leader else { return }
    let term = node.term
    guard ticksSinceHeartbeat >= context.config.regionHeartbeatTicks || heartbeatTerm != term
    else { return }
    ticksSinceHeartbeat = 0
    heartbeatTerm = term
    context.regionHeartbeats(regionHeartbeat())
  }

  /// What this leader reports: the region, itself, and the peers that need a snapshot to catch
  /// up (being sent one, or known to end their log before this leader's first entry), and the
  /// size of its data as of its last split check (0 before the first). A peer not heard from
  /// since this leader's election (no match yet, still probed) is not reported: a new leader's
  /// first heartbeat would otherwise list every follower as pending.
  func regionHeartbeat() -> RegionHeartbeat {
    let firstIndex = storage.firstIndex()
    let progress = node.status.progress
    let pending = region.peers.filter { peer in
      guard peer.id != meta.id, let follower = progress[peer.id] else { return false }
      if follower.state == .snapshot { return true }
      return follower.match > 0 && follower.match < firstIndex - 1
    }
    return RegionHeartbeat(
      region: region, leader: meta, pendingPeers: pending, approximateSize: approximateSize ?? 0,
      term: node.term)
  }
}
