import TinyKVProto

/// Membership change, one node at a time. A change takes effect when the application
/// applies its committed `EntryConfChange` and calls ``RawNode/applyConfChange(_:)``.
extension RaftCore {
  mutating func applyConfChange(_ change: Eraftpb_ConfChange) -> Eraftpb_ConfState {
    if change.nodeID != 0 {
      switch change.changeType {
      case .addNode: addNode(change.nodeID)
      case .removeNode: removeNode(change.nodeID)
      case .UNRECOGNIZED: break
      }
    }
    return confState
  }

  var confState: Eraftpb_ConfState {
    var state = Eraftpb_ConfState()
    state.nodes = tracker.ids
    return state
  }

  mutating func addNode(_ peer: UInt64) {
    guard !tracker.contains(peer) else { return }
    tracker.add(peer, match: 0, next: log.lastIndex + 1)
  }

  mutating func removeNode(_ peer: UInt64) {
    guard tracker.contains(peer) else { return }
    tracker.remove(peer)
    readAcks[peer] = nil
    guard role == .leader else { return }
    if peer == id {
      // A leader that removed itself steps down; the rest elect a new leader.
      becomeFollower(term: term, lead: 0)
      return
    }
    if leadTransferee == peer { abortLeaderTransfer() }
    // The quorum shrank: entries may now be committed.
    if tracker.ids.isEmpty { return }
    if maybeCommit() { bcastAppend() }
  }
}
