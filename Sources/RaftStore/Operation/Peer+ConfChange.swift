import Engine
import Foundation
import Raft
import Storage
import TinyKVProto

extension Peer {
  /// Proposes a membership change as an `EntryConfChange` whose context is the admin
  /// `ChangePeer` command (with the region's id, this peer and the epoch in its header), if
  /// this peer leads the region at the command's epoch. Raft refuses a change while another
  /// is not applied yet; the apply loop refuses one whose epoch moved meanwhile.
  func proposeChangePeer(_ command: ChangePeerCommand) {
    let callback = command.callback ?? { _ in }
    guard node.role == .leader else { return callback(.failure(notLeader())) }
    guard command.epoch == region.regionEpoch else {
      return callback(.failure(RegionError.epochNotMatch(region)))
    }
    let present = region.peers.contains { $0.id == command.peer.id }
    guard present == (command.change == .removeNode), command.peer.id != 0 else {
      return callback(
        .failure(
          RaftError(
            code: .proposalDropped,
            message: "region \(regionID): cannot \(command.change) peer \(command.peer.id)")))
    }
    var request = self.command()
    request.adminRequest.cmdType = .changePeer
    request.adminRequest.changePeer.changeType = command.change
    request.adminRequest.changePeer.peer = command.peer
    var change = Eraftpb_ConfChange()
    change.changeType = command.change
    change.nodeID = command.peer.id
    do {
      change.context = try request.serializedData()
      try node.proposeConfChange(change)
    } catch {
      return callback(.failure(error))
    }
    proposals.append(Proposal(index: node.lastIndex, term: node.term, callback: callback))
  }

  /// The apply loop applied a membership change (and persisted `region`): Raft takes it, the
  /// peer serves the new membership, and a peer that was removed destroys itself.
  func confChangeApplied(_ change: Eraftpb_ConfChange, region: Metapb_Region) {
    node.applyConfChange(change)
    storage.setRegion(region)
    if change.changeType == .removeNode && change.nodeID == meta.id { destroy() }
  }

  /// Destroys this peer after it applied its own removal, learned it is stale, or was never
  /// initialized (TinyKV's `destroyPeer`). For an initialized peer the apply loop already
  /// wrote, synced, the region's `Tombstone` state (kept, so that no late message can bring
  /// the peer back), deleted its apply state and its data. Here the raft state and the log go,
  /// and every waiting proposal and read fails with `RegionNotFound`; the raft loop then drops
  /// the peer and its mailbox (``isDestroyed``).
  func destroy() {
    let raftDB = storage.raftDB
    do {
      let batch = try raftDB.makeWriteBatch()
      try batch.delete(.default, Keys.raftStateKey(regionID))
      try batch.deleteRange(
        .default, from: Keys.raftLogKey(regionID, 0),
        to: Keys.raftLogKey(regionID, storage.lastIndex() + 1))
      try raftDB.write(batch, sync: false)
    } catch {
      // Harmless: the tombstoned region is never loaded, so its raft state is never read.
    }
    failEverything(
      RegionError.regionNotFound(regionID, storeID: context.storeID),
      because: "the peer of region \(regionID) on store \(context.storeID) was removed")
    context.localReader.forget(regionID)
    holdsLease = false
    isDestroyed = true
  }
}
