import TinyKVProto

/// What the store's own mailbox holds: work for the raft loop itself rather than for one
/// region's peer (see `Router`).
package enum StoreMessage: Sendable {
  /// A Raft message for a region this store had no peer of when it arrived: the raft loop
  /// creates the peer if the message is legitimate, and drops it otherwise.
  case raft(RaftServerpb_RaftMessage)
  /// The apply loop applied a split: the region's peer takes its smaller range and the new
  /// region's peer is created.
  case splitApplied(AppliedSplit)
}
