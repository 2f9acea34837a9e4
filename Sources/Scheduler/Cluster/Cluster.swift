import Engine
import Foundation
import Logging
import Synchronization
import TinyKVProto
import Randomness

/// The cluster's map and scheduling behind one lock: bootstrap, stores, regions from
/// heartbeats, operators and the checkers and schedulers that make them. Every change that
/// must survive a restart is written to `MetaStorage` before the call returns.
///
/// Calls are synchronous and short (map updates plus, for changes, one RocksDB write); callers
/// run them from Swift concurrency's pool, never from an event loop.
public final class Cluster: Sendable {
  struct State: Sendable {
    var bootstrapped: Bool
    var map = ClusterState()
    var operators = OperatorController()
    var gcSafePoint: UInt64 = 0
    var lastMoves = LastMoves()
    /// What held balancing back after the last scheduling pass (logged when it changes).
    var holds: Set<SchedulingHold> = []
    var random: SplitMix64
  }

  let clusterID: UInt64
  let config: SchedulerConfig
  let state: Mutex<State>
  let storage: MetaStorage
  let allocator: IDAllocator
  let clock: any SchedulerClock
  let logger: Logger

  /// Loads the bootstrap record, config, stores, regions and GC safe point from `storage`.
  init(
    clusterID: UInt64, config: SchedulerConfig, storage: MetaStorage, allocator: IDAllocator,
    clock: any SchedulerClock, logger: Logger
  ) throws(SchedulerError) {
    self.clusterID = clusterID
    self.config = config
    self.storage = storage
    self.allocator = allocator
    self.clock = clock
    self.logger = logger
    var loaded = State(
      bootstrapped: try storage.loadUInt64(MetaKey.bootstrap) != nil,
      random: SplitMix64(seed: config.seed))
    loaded.map.maxReplicas = Int(config.maxReplicas)
    if let saved = try storage.loadMessage(Metapb_Cluster.self, MetaKey.clusterConfig),
      saved.maxPeerCount > 0
    {
      loaded.map.maxReplicas = Int(saved.maxPeerCount)
    }
    let now = clock.monotonicMillis()
    for store in try storage.loadAll(Metapb_Store.self, prefix: MetaKey.storePrefix) {
      loaded.map.stores[store.id] = StoreInfo(meta: store, stats: nil, lastSeenMillis: now)
    }
    for region in try storage.loadAll(Metapb_Region.self, prefix: MetaKey.regionPrefix) {
      loaded.map.restore(RegionInfo(meta: region))
    }
    loaded.gcSafePoint = try storage.loadUInt64(MetaKey.gcSafePoint) ?? 0
    state = Mutex(loaded)
  }

  // MARK: Bootstrap

  /// Whether `bootstrap` has succeeded (ever, on this data directory).
  public var isBootstrapped: Bool { state.withLock { $0.bootstrapped } }

  /// Bootstraps the cluster with its first store. The first region arrives with its leader's
  /// first heartbeat.
  /// - Throws: `alreadyBootstrapped` the second time; `invalidArgument` for a zero store id.
  public func bootstrap(store: Metapb_Store) throws(SchedulerError) {
    guard store.id != 0 else { throw .invalid("bootstrap needs a store with a non-zero id") }
    try state.withLock { state throws(SchedulerError) in
      guard !state.bootstrapped else {
        throw SchedulerError(
          code: .alreadyBootstrapped, message: "cluster \(clusterID) is already bootstrapped")
      }
      var meta = store
      meta.state = .up
      var cluster = Metapb_Cluster()
      cluster.id = clusterID
      cluster.maxPeerCount = UInt32(state.map.maxReplicas)
      try storage.write(sync: true) { batch throws(EngineError) in
        try storage.put(batch, MetaKey.store(meta.id), meta)
        try storage.put(batch, MetaKey.clusterConfig, cluster)
        try batch.put(.default, MetaKey.bootstrap, MetaKey.bigEndian(meta.id))
      }
      state.bootstrapped = true
      state.map.stores[meta.id] = StoreInfo(meta: meta, lastSeenMillis: clock.monotonicMillis())
      logger.info("bootstrapped", metadata: ["store": "\(meta.id)", "address": "\(meta.address)"])
    }
  }

  /// Runs `body` on the state of a bootstrapped cluster.
  /// - Throws: `notBootstrapped` before bootstrap, or what `body` throws.
  func withBootstrapped<T: Sendable>(
    _ body: (inout State) throws(SchedulerError) -> T
  ) throws(SchedulerError) -> T {
    try state.withLock { state throws(SchedulerError) -> T in
      guard state.bootstrapped else { throw .notBootstrapped() }
      return try body(&state)
    }
  }

  // MARK: Cluster config and GC safe point

  /// The cluster's id and replica count.
  public func clusterConfig() throws(SchedulerError) -> Metapb_Cluster {
    try withBootstrapped { state throws(SchedulerError) in
      var cluster = Metapb_Cluster()
      cluster.id = clusterID
      cluster.maxPeerCount = UInt32(state.map.maxReplicas)
      return cluster
    }
  }

  /// Changes the replica count.
  /// - Throws: `invalidArgument` for a zero count or another cluster's id.
  public func putClusterConfig(_ cluster: Metapb_Cluster) throws(SchedulerError) {
    guard cluster.maxPeerCount > 0 else { throw .invalid("max_peer_count must be at least 1") }
    guard cluster.id == 0 || cluster.id == clusterID else {
      throw .invalid("cluster config names cluster \(cluster.id), this is \(clusterID)")
    }
    try withBootstrapped { state throws(SchedulerError) in
      var saved = cluster
      saved.id = clusterID
      try storage.write(sync: true) { batch throws(EngineError) in
        try storage.put(batch, MetaKey.clusterConfig, saved)
      }
      state.map.maxReplicas = Int(cluster.maxPeerCount)
    }
  }

  /// The GC safe point: no version older than it is still needed by anyone.
  public func gcSafePoint() throws(SchedulerError) -> UInt64 {
    try withBootstrapped { $0.gcSafePoint }
  }

  /// Moves the GC safe point forward (never back).
  /// - Returns: the safe point after the call.
  public func updateGCSafePoint(_ safePoint: UInt64) throws(SchedulerError) -> UInt64 {
    try withBootstrapped { state throws(SchedulerError) in
      guard safePoint > state.gcSafePoint else { return state.gcSafePoint }
      try storage.saveUInt64(MetaKey.gcSafePoint, safePoint)
      state.gcSafePoint = safePoint
      return safePoint
    }
  }
}
