import Engine
import Foundation
import Raft
import TinyKVProto

extension RaftPoller {
  /// The apply loop applied a split: the region's peer takes its smaller range, and the new
  /// region's peer is created from the state the apply loop wrote (unless this store already
  /// has an initialized peer of it). A new region split off a leader campaigns at once, so it
  /// is not without a leader for an election timeout.
  func splitApplied(_ split: AppliedSplit) {
    let left = peers[split.left.id]
    left?.splitApplied(split.left)
    context.regions.update(split.left)
    guard split.createsRight, peers[split.right.id]?.storage.isInitialized != true else { return }
    do {
      let storage = try PeerStorage(
        regionID: split.right.id, raftDB: raftDB, kvDB: kvDB,
        entryCacheBytes: context.config.entryCacheBytes)
      let peer = try Peer(storage: storage, context: context)
      add(peer)
      if let left, left.node.role == .leader {
        try? peer.node.campaign()
        reportSplit(left: left, right: peer)
      }
    } catch {
      // The new region's state is durable: a restart loads it. Running on without its peer
      // would leave its keys unserved here, like TiKV, stop instead.
      preconditionFailure("raft loop: cannot create the peer of region \(split.right.id): \(error)")
    }
  }

  /// Tells the scheduler of both halves at once (the role of TiKV's ReportBatchSplit): the left
  /// region's smaller range, then the new region with its campaigning peer here as the leader.
  /// Without this, lookups of the new region's keys find no region between the left leader's
  /// next heartbeat and the new leader's first, after its election. If another peer wins, its
  /// own heartbeat corrects the leader; steps sent to a peer that does not lead are ignored.
  func reportSplit(left: Peer, right: Peer) {
    left.heartbeatTerm = left.node.term
    left.ticksSinceHeartbeat = 0
    context.regionHeartbeats(left.regionHeartbeat())
    context.regionHeartbeats(right.regionHeartbeat())
  }

  /// Makes `peer` part of the loop (replacing an uninitialized peer of its region) and
  /// reachable through the router.
  func add(_ peer: Peer) {
    let regionID = peer.regionID
    if peers.updateValue(peer, forKey: regionID) == nil {
      regionIDs.insert(regionID, at: regionIDs.firstIndex { $0 > regionID } ?? regionIDs.endIndex)
    }
    context.router.register(regionID)
    context.regions.update(peer.region)
  }
}
