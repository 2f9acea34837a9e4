import Engine
import Foundation
import Storage
import TinyKVProto

/// A membership change the apply loop applied, for the region's peer to learn.
struct AppliedConfChange: Sendable {
  var regionID: UInt64
  var change: Eraftpb_ConfChange
  /// The region after the change (persisted).
  var region: Metapb_Region
  /// Whether the change removed this store's own peer (its region is now a tombstone).
  var removesSelf: Bool
}

extension Applier {
  /// Applies a committed `EntryConfChange`: decodes the change and its context (the admin
  /// `ChangePeer` command), checks the command's `conf_ver` against `region`'s (a stale one
  /// changes nothing and fails with `EpochNotMatch`), adds or removes the peer, moves
  /// `conf_ver` on and puts the `RegionLocalState` in `batch` (if the removed peer is this
  /// store's: its tombstone, and the region's data deleted). Every replica decides the same. An applied change is appended to
  /// `applied`.
  mutating func applyConfChange(
    _ entry: Eraftpb_Entry, region: Metapb_Region, to batch: WriteBatch,
    _ applied: inout [AppliedConfChange]
  ) throws -> Result<Void, any Error> {
    let change: Eraftpb_ConfChange
    let command: RaftCmdpb_RaftCmdRequest
    do {
      change = try Eraftpb_ConfChange(serializedBytes: entry.data)
      command = try RaftCmdpb_RaftCmdRequest(serializedBytes: change.context)
    } catch {
      return .failure(Self.invalid("undecodable conf change: \(error)"))
    }
    let request = command.adminRequest.changePeer
    guard command.adminRequest.cmdType == .changePeer, change.nodeID != 0,
      request.peer.id == change.nodeID, request.changeType == change.changeType
    else {
      return .failure(Self.invalid("conf change \(change.nodeID) without its ChangePeer"))
    }
    guard command.header.regionEpoch.confVer == region.regionEpoch.confVer else {
      return .failure(RegionError.epochNotMatch(region))
    }
    var updated = region
    let position = region.peers.firstIndex { $0.id == change.nodeID }
    switch (change.changeType, position) {
    case (.removeNode, let position?): updated.peers.remove(at: position)
    case (.addNode, nil): updated.peers.append(request.peer)
    default:
      return .failure(Self.invalid("cannot \(change.changeType) peer \(change.nodeID)"))
    }
    updated.regionEpoch.confVer += 1
    let removesSelf =
      change.changeType == .removeNode
      && region.peers.first { $0.storeID == storeID }?.id == change.nodeID
    if removesSelf {
      try writeTombstone(of: updated, to: batch)
    } else {
      var state = RaftServerpb_RegionLocalState()
      state.state = .normal
      state.region = updated
      try batch.put(.meta, Keys.regionStateKey(updated.id), state.serializedData())
      regions[updated.id] = updated
    }
    applied.append(
      AppliedConfChange(
        regionID: updated.id, change: change, region: updated,
        removesSelf: removesSelf))
    return .success(())
  }

  /// Adds to `batch` the `Tombstone` state of `region` (kept for good, so that no late
  /// message of an older epoch creates the peer again) and the deletion of its data (no other
  /// peer on this store overlaps an initialized peer's range), and forgets the region here.
  /// The caller deletes its apply state.
  mutating func writeTombstone(of region: Metapb_Region, to batch: WriteBatch) throws {
    var state = RaftServerpb_RegionLocalState()
    state.state = .tombstone
    state.region = region
    try batch.put(.meta, Keys.regionStateKey(region.id), state.serializedData())
    try RegionData.clear(region, kvDB: kvDB, in: batch)
    try SessionKeys.remove(region.id, in: batch)
    regions[region.id] = nil
  }

  private static func invalid(_ message: String) -> EngineError {
    EngineError(code: .invalidArgument, message: message)
  }
}
