import RaftStore
import TinyKVProto

/// The replicated store as the `Raft` and `Snapshot` RPCs see it: where incoming Raft
/// messages go, and where the snapshot files they announce are written.
public protocol RaftMessageReceiver: Sendable {
  /// Hands a Raft message from another store to the region's peer (without blocking).
  func deliver(_ message: RaftServerpb_RaftMessage)
  /// Hands several Raft messages from another store to their regions' peers, in order.
  func deliver(contentsOf messages: [RaftServerpb_RaftMessage])
  /// This store's snapshot files, which receive the data of incoming snapshots.
  var snapshotFiles: any SnapshotFiles { get }
}
