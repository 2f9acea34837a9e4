/// What every peer of a store shares: the store's id and tunables, the router (for results the
/// workers send back), the transport, the background queues, the snapshot files and the
/// heartbeat sink.
package struct PeerContext: Sendable {
  /// This store's id.
  package var storeID: UInt64
  /// Tunables.
  package var config: RaftStoreConfig
  /// The store's mailboxes.
  package var router: Router
  /// Where Raft messages to other stores go.
  package var transport: any Transport
  /// Where log GC and snapshot generation run.
  package var queues: BackgroundQueues
  /// The store's snapshot files.
  package var snapshots: SnapshotManager
  /// Where leaders send their region heartbeats (to the scheduler); must not block.
  package var regionHeartbeats: @Sendable (RegionHeartbeat) -> Void
  /// Where leaders get the ids of the regions they split off (nil: regions never split).
  package var splitIDs: (any SplitIDAllocator)?
  /// The regions of the store's peers, for `EpochNotMatch` answers.
  package var regions = StoreRegions()
  /// The leases of the store's leaders, for reads served without a Raft round.
  package var localReader: LocalReader

  /// A context from its parts.
  package init(
    storeID: UInt64, config: RaftStoreConfig, router: Router, transport: any Transport,
    queues: BackgroundQueues,
    snapshots: SnapshotManager,
    regionHeartbeats: @escaping @Sendable (RegionHeartbeat) -> Void = { _ in },
    splitIDs: (any SplitIDAllocator)? = nil,
    localReader: LocalReader = LocalReader(duration: nil)
  ) {
    self.localReader = localReader
    self.splitIDs = splitIDs
    self.storeID = storeID
    self.config = config
    self.router = router
    self.transport = transport
    self.queues = queues
    self.snapshots = snapshots
    self.regionHeartbeats = regionHeartbeats
  }
}
