import Foundation
import Raft
import Storage
import TinyKVProto

extension Peer {
  /// Steps a Raft message from another store into the node, unless it shows that one side is
  /// a stale peer (TinyKV's `checkMessage`):
  /// - a tombstone notice: a peer of a newer epoch says this peer was removed; it destroys
  ///   itself (``requestTombstone()``);
  /// - from a peer whose store is not in the region any more, of an older epoch: a removed
  ///   peer that missed its removal. Its vote requests (it is alive and campaigning) get a
  ///   tombstone notice back; the rest are dropped;
  /// - for an older peer id of this store: dropped; for a newer one: this store was given a
  ///   new peer in the region, so this one is stale and destroys itself (the new one is
  ///   created by the leader's next message).
  func receive(_ envelope: RaftServerpb_RaftMessage) {
    if envelope.isTombstone {
      if envelope.toPeer == meta, Self.isStale(region.regionEpoch, than: envelope.regionEpoch) {
        requestTombstone()
      }
      return
    }
    let from = envelope.fromPeer
    if storage.isInitialized, Self.isStale(envelope.regionEpoch, than: region.regionEpoch),
      !region.peers.contains(where: { $0.storeID == from.storeID })
    {
      if envelope.message.msgType.isVoteRequest { sendTombstoneNotice(to: from) }
      return
    }
    if envelope.toPeer.id < meta.id { return }
    if envelope.toPeer.id > meta.id { return requestTombstone() }
    // Proposals enter Raft only through this store's checked write path, never from the wire
    // (a forwarded proposal would bypass the epoch, range and session checks); elections and
    // heartbeats are started by this node's own clock.
    if Self.localOnly.contains(envelope.message.msgType) { return }
    knownPeers[from.id] = from
    // Errors here are a peer's stale or misdirected message: dropping it is the answer.
    try? node.step(envelope.message)
  }

  /// Message types a node makes for itself; refused when they come from another store.
  static let localOnly: Set<Eraftpb_MessageType> = [.msgHup, .msgBeat, .msgPropose]

  /// Whether epoch `epoch` is older than `other` in either of its counters.
  static func isStale(_ epoch: Metapb_RegionEpoch, than other: Metapb_RegionEpoch) -> Bool {
    epoch.version < other.version || epoch.confVer < other.confVer
  }

  /// Tells `peer`, removed from the region, to destroy itself.
  private func sendTombstoneNotice(to peer: Metapb_Peer) {
    var notice = RaftServerpb_RaftMessage()
    notice.regionID = regionID
    notice.fromPeer = meta
    notice.toPeer = peer
    notice.regionEpoch = region.regionEpoch
    notice.isTombstone = true
    context.transport.send(notice)
  }

  /// Starts destroying this peer, which learned it is no longer in the region. An
  /// uninitialized peer has nothing in the kv engine and goes at once; an initialized one
  /// stops answering and waits for the apply loop to write its tombstone and delete its data
  /// (``wantsTombstone``; the apply loop answers with `PeerMessage.tombstoneWritten`), so that
  /// no entry the apply loop still holds for it is applied over the tombstone.
  func requestTombstone() {
    guard !isPendingRemoval, !isDestroyed else { return }
    guard storage.isInitialized else { return destroy() }
    isPendingRemoval = true
    wantsTombstone = true
    failEverything(
      RegionError.regionNotFound(regionID, storeID: context.storeID),
      because: "the peer of region \(regionID) on store \(context.storeID) was removed")
  }
}
