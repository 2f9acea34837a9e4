import RaftStore

/// The raft store receives the `Raft`, `BatchRaft` and `Snapshot` streams of the service
/// directly.
extension RaftStore: RaftMessageReceiver {
  /// The store's snapshot manager: incoming snapshot data is written there.
  public var snapshotFiles: any SnapshotFiles { snapshots }
}
