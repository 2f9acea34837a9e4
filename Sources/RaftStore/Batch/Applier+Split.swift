import Engine
import Foundation
import Storage
import TinyKVProto

extension Applier {
  /// Applies a committed admin `Split`: checks the command's epoch against `region`'s (both
  /// counters; a stale one changes nothing and fails with `EpochNotMatch`), the key (strictly
  /// inside) and the ids (one per peer); then the region keeps the keys before the split key
  /// and the new region takes the rest, both at `version` + 1, the new one with a peer on each
  /// of the region's stores. Both states go in `batch`, the new region's apply state starting
  /// at TinyKV's initial index with a copy of the region's `sessions` (a resend may reach either
  /// half); its data stays where it is (one kv engine per store). Every replica decides the
  /// same. An applied split is appended to `splits`.
  mutating func applySplit(
    _ command: RaftCmdpb_RaftCmdRequest, region: Metapb_Region,
    sessions: RaftServerpb_SessionTable, to batch: WriteBatch,
    _ splits: inout [AppliedSplit]
  ) throws -> Result<Void, any Error> {
    let split = command.adminRequest.split
    guard command.header.regionEpoch == region.regionEpoch else {
      return .failure(RegionError.epochNotMatch(region))
    }
    guard region.canSplit(at: split.splitKey), split.newRegionID != 0,
      split.newPeerIds.count == region.peers.count
    else {
      return .failure(Peer.invalidSplit("invalid split of region \(region.id)"))
    }
    var left = region
    left.endKey = split.splitKey
    left.regionEpoch.version += 1
    var right = Metapb_Region()
    right.id = split.newRegionID
    right.startKey = split.splitKey
    right.endKey = region.endKey
    right.regionEpoch = left.regionEpoch
    right.peers = zip(region.peers, split.newPeerIds).map { peer, id in
      var new = Metapb_Peer()
      new.id = id
      new.storeID = peer.storeID
      return new
    }
    var state = RaftServerpb_RegionLocalState()
    state.state = .normal
    state.region = left
    try batch.put(.meta, Keys.regionStateKey(left.id), state.serializedData())
    regions[left.id] = left
    // A tombstone of the new region here: this store's peer of it was removed before this one
    // caught up with the split. It stays removed.
    let createsRight = try kvDB.get(.meta, Keys.regionStateKey(right.id)) == nil
    if createsRight {
      applyStates[right.id] = try PeerStorage.putStartState(
        of: right, index: Keys.initialLogIndex, term: Keys.initialLogTerm, sessions: sessions,
        to: batch)
      regions[right.id] = right
    }
    splits.append(AppliedSplit(left: left, right: right, createsRight: createsRight))
    return .success(())
  }
}
