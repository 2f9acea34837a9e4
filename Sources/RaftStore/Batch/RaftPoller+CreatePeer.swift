import Engine
import Foundation
import Raft
import TinyKVProto

extension RaftPoller {
  /// Handles a message from the store's mailbox.
  func handle(_ message: StoreMessage) {
    switch message {
    case .raft(let envelope):
      // The peer may have been created by an earlier message of this round's store mail.
      guard let peer = peers[envelope.regionID] ?? createPeer(for: envelope) else { return }
      handle([.raft(envelope)], by: peer)
    case .splitApplied(let split):
      splitApplied(split)
    }
  }

  /// Creates an uninitialized peer for a region this store has no peer of, if `envelope` is
  /// legitimate (TinyKV's `maybeCreatePeer`): addressed to this store; a leader's first
  /// heartbeat to a new peer (commit 0) or a vote request (not an append, which a stale leader
  /// may still send); not a tombstone notice; not for a region this store removed its peer
  /// from at the message's epoch or later; not overlapping an initialized peer's range here
  /// (a region that split elsewhere before it split here: the split creates the peer). The
  /// leader's snapshot then initialises the peer.
  /// - Returns: the new peer (registered with the router), or nil if the message was dropped.
  func createPeer(for envelope: RaftServerpb_RaftMessage) -> Peer? {
    let message = envelope.message
    guard envelope.toPeer.storeID == context.storeID, !envelope.isTombstone,
      message.msgType.isVoteRequest || (message.msgType == .msgHeartbeat && message.commit == 0)
    else { return nil }
    let regionID = envelope.regionID
    do {
      if let bytes = try kvDB.get(.meta, Keys.regionStateKey(regionID)) {
        let state = try RaftServerpb_RegionLocalState(serializedBytes: bytes)
        // A tombstone: only a message of a newer membership (this store added again) counts.
        let newer = state.region.regionEpoch
        guard state.state == .tombstone,
          envelope.regionEpoch.confVer > newer.confVer,
          envelope.regionEpoch.version >= newer.version
        else { return nil }
      }
      if overlapsInitializedPeer(regionID: regionID, envelope.startKey, envelope.endKey) {
        return nil
      }
      let storage = try PeerStorage(
        uninitialized: regionID, raftDB: raftDB, kvDB: kvDB,
        entryCacheBytes: context.config.entryCacheBytes)
      let peer = try Peer(storage: storage, context: context, meta: envelope.toPeer)
      add(peer)
      return peer
    } catch {
      return nil  // an engine failure here loses one message; the leader sends another
    }
  }

  /// Whether a snapshot in `message` (for `peer`) may be installed: one whose range overlaps
  /// another initialized peer's range on this store is dropped (that region has not split or
  /// merged here yet the way it has elsewhere; the leader sends the snapshot again later).
  func acceptsSnapshot(in message: PeerMessage, for peer: Peer) -> Bool {
    guard case .raft(let envelope) = message, envelope.message.msgType == .msgSnapshot,
      let data = try? RaftServerpb_RaftSnapshotData(
        serializedBytes: envelope.message.snapshot.data)
    else { return true }
    return !overlapsInitializedPeer(
      regionID: peer.regionID, data.region.startKey, data.region.endKey)
  }

  /// Whether [start, end) (an empty end: unbounded) overlaps the range of an initialized peer
  /// of another region on this store.
  private func overlapsInitializedPeer(regionID: UInt64, _ start: Data, _ end: Data) -> Bool {
    peers.values.contains { other in
      other.regionID != regionID && other.storage.isInitialized
        && other.region.overlaps(start: start, end: end)
    }
  }
}
