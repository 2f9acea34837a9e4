import TinyKVProto

/// What the scheduler knows of one store: its metadata, its last reported statistics and when
/// it was last heard from.
public struct StoreInfo: Sendable, Equatable {
  /// Id, address and state (up, offline, tombstone).
  public var meta: Metapb_Store
  /// Statistics from the last store heartbeat, if any arrived since start.
  public var stats: Schedulerpb_StoreStats?
  /// Monotonic milliseconds of the last heartbeat (or of registration or startup, so that a
  /// store gets a full down period before it is considered down).
  public var lastSeenMillis: Int64

  /// The store id.
  public var id: UInt64 { meta.id }
  /// Up (not offline, not tombstone).
  public var isUp: Bool { meta.state == .up }
  /// Removed for good.
  public var isTombstone: Bool { meta.state == .tombstone }

  /// Whether the store has been silent for longer than `downAfterMillis` at `now`.
  public func isDown(now: Int64, downAfterMillis: Int64) -> Bool {
    now - lastSeenMillis > downAfterMillis
  }
}

/// Per-store totals over the regions that have a peer there, kept up to date as regions change.
public struct StoreLoad: Sendable, Equatable {
  /// Regions with a peer on the store.
  public var regionCount = 0
  /// Their total approximate size.
  public var regionSizeMiB: Int64 = 0
  /// Regions the store leads.
  public var leaderCount = 0
  /// Their total approximate size.
  public var leaderSizeMiB: Int64 = 0
  /// Peers on the store still catching up.
  public var pendingPeerCount = 0

  /// Zero totals.
  public init() {}

  mutating func add(_ region: RegionInfo, storeID: UInt64, sign: Int) {
    guard let peer = region.peer(onStore: storeID) else { return }
    regionCount += sign
    regionSizeMiB += Int64(sign) * Int64(region.approximateSizeMiB)
    if region.leader?.id == peer.id {
      leaderCount += sign
      leaderSizeMiB += Int64(sign) * Int64(region.approximateSizeMiB)
    }
    if region.isPending(peerID: peer.id) { pendingPeerCount += sign }
  }
}
