import Engine
import TinyKVProto

extension Cluster {
  /// Adds a store or updates a known store's address.
  /// - Throws: `storeTombstone` for a store removed for good; `unknown` if another live store
  ///   already has the address; `invalidArgument` for a zero id or an empty address.
  public func putStore(_ store: Metapb_Store) throws(SchedulerError) {
    guard store.id != 0 else { throw .invalid("store id must not be zero") }
    guard !store.address.isEmpty else { throw .invalid("store \(store.id) has no address") }
    try withBootstrapped { state throws(SchedulerError) in
      if let clash = state.map.stores.values.first(where: {
        $0.id != store.id && $0.meta.address == store.address && !$0.isTombstone
      }) {
        throw SchedulerError(
          code: .unknown,
          message: "duplicated store address: \(store.address) is already store \(clash.id)")
      }
      var info: StoreInfo
      if let known = state.map.stores[store.id] {
        guard !known.isTombstone else {
          throw SchedulerError(code: .storeTombstone, message: "store \(store.id) is tombstone")
        }
        info = known
        info.meta.address = store.address
      } else {
        var meta = store
        if meta.state == .tombstone { meta.state = .up }
        info = StoreInfo(meta: meta, lastSeenMillis: clock.monotonicMillis())
      }
      try storage.write(sync: true) { batch throws(EngineError) in
        try storage.put(batch, MetaKey.store(info.id), info.meta)
      }
      state.map.stores[info.id] = info
    }
  }

  /// The store with `id`, tombstoned or not (the caller flags a tombstone).
  /// - Throws: `storeNotFound` for an unknown id.
  public func store(id: UInt64) throws(SchedulerError) -> StoreInfo {
    try withBootstrapped { state throws(SchedulerError) in
      guard let store = state.map.stores[id] else {
        throw SchedulerError(code: .storeNotFound, message: "invalid store ID \(id), not found")
      }
      return store
    }
  }

  /// Every store in id order, tombstones optionally left out.
  public func stores(excludingTombstones: Bool) throws(SchedulerError) -> [StoreInfo] {
    try withBootstrapped { state in
      state.map.stores.values
        .filter { !excludingTombstones || !$0.isTombstone }
        .sorted { $0.id < $1.id }
    }
  }

  /// Records a store heartbeat: its statistics and that it is alive now.
  /// - Throws: `storeNotFound`, or `storeTombstone` for a store removed for good.
  public func storeHeartbeat(_ stats: Schedulerpb_StoreStats) throws(SchedulerError) {
    let now = clock.monotonicMillis()
    try withBootstrapped { state throws(SchedulerError) in
      guard var store = state.map.stores[stats.storeID] else {
        throw SchedulerError(code: .storeNotFound, message: "store \(stats.storeID) not found")
      }
      guard !store.isTombstone else {
        throw SchedulerError(code: .storeTombstone, message: "store \(stats.storeID) is tombstone")
      }
      store.stats = stats
      store.lastSeenMillis = now
      state.map.stores[stats.storeID] = store
    }
  }

  /// Sets a store's state (offline to drain it, tombstone once it is empty), for operators of
  /// the cluster and tests.
  public func setStoreState(id: UInt64, _ newState: Metapb_StoreState) throws(SchedulerError) {
    try withBootstrapped { state throws(SchedulerError) in
      guard var store = state.map.stores[id] else {
        throw SchedulerError(code: .storeNotFound, message: "store \(id) not found")
      }
      store.meta.state = newState
      try storage.write(sync: true) { batch throws(EngineError) in
        try storage.put(batch, MetaKey.store(id), store.meta)
      }
      state.map.stores[id] = store
    }
  }

  /// Each store's totals over the regions with a peer there.
  public func storeLoads() -> [UInt64: StoreLoad] {
    state.withLock { state in
      var result: [UInt64: StoreLoad] = [:]
      for id in state.map.stores.keys { result[id] = state.map.load(of: id) }
      return result
    }
  }
}
