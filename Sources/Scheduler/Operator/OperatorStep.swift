import TinyKVProto

/// One step of an operator, as sent to a region's leader in a heartbeat response.
public enum OperatorStep: Hashable, Sendable, CustomStringConvertible {
  /// Add a peer with `peerID` on `storeID`; done when the region has it and it is not pending.
  case addPeer(storeID: UInt64, peerID: UInt64)
  /// Remove the region's peer on `storeID`; done when the region has no peer there.
  case removePeer(storeID: UInt64)
  /// Move leadership from `fromStore` to the peer on `toStore`; done when the leader is there.
  case transferLeader(fromStore: UInt64, toStore: UInt64)

  /// Whether the region as reported shows this step done.
  func isFinished(on region: RegionInfo) -> Bool {
    switch self {
    case .addPeer(let storeID, let peerID):
      guard let peer = region.peer(onStore: storeID), peer.id == peerID else { return false }
      return !region.isPending(peerID: peerID)
    case .removePeer(let storeID):
      return region.peer(onStore: storeID) == nil
    case .transferLeader(_, let toStore):
      return region.leader?.storeID == toStore
    }
  }

  /// Whether this step changes the region's membership (and so bumps its conf version).
  var isConfChange: Bool {
    if case .transferLeader = self { return false }
    return true
  }

  public var description: String {
    switch self {
    case .addPeer(let storeID, let peerID): "add peer \(peerID) on store \(storeID)"
    case .removePeer(let storeID): "remove peer on store \(storeID)"
    case .transferLeader(let from, let to): "transfer leader from store \(from) to store \(to)"
    }
  }
}
