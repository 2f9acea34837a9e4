import Randomness

/// What a checker or scheduler sees when it decides: the map, store loads projected past the
/// running operators, the time, the tunables, and the means to allocate peer ids and to make
/// random choices from a seed.
struct ScheduleContext {
  let state: ClusterState
  /// Loads as they will be once running operators finish.
  let loads: [UInt64: StoreLoad]
  /// Regions that already have a running operator.
  let busyRegions: Set<UInt64>
  /// Each region's last balance move, so that no scheduler makes its exact opposite.
  let lastMoves: LastMoves
  let now: Int64
  let config: SchedulerConfig
  var random: SplitMix64
  let allocateID: () throws(SchedulerError) -> UInt64

  func load(of storeID: UInt64) -> StoreLoad { loads[storeID] ?? StoreLoad() }

  /// Whether moving `kind` of `regionID` from `source` to `target` would undo its last move.
  func undoes(_ kind: LastMoves.Kind, regionID: UInt64, from source: UInt64, to target: UInt64)
    -> Bool
  {
    guard let last = lastMoves.moves[LastMoves.Key(regionID: regionID, kind: kind)] else {
      return false
    }
    return last.from == target && last.to == source
  }

  /// Up to `limit` distinct regions matching `predicate`, chosen at random. Small maps are
  /// scanned whole; large ones are sampled (a bounded number of random positions), so a
  /// scheduling pass costs the same at 100 regions and at 100,000.
  mutating func sampleRegions(limit: Int, where predicate: (RegionInfo) -> Bool) -> [RegionInfo] {
    let count = state.regions.count
    if count <= Self.fullScanLimit {
      let all = state.regions.unordered.filter(predicate).sorted { $0.id < $1.id }
      return Array(all.shuffled(using: &random).prefix(limit))
    }
    var chosen: [UInt64: RegionInfo] = [:]
    for _ in 0..<(limit * Self.samplesPerPick) where chosen.count < limit {
      let rank = Int(random.next() % UInt64(count))
      if let region = state.regions.region(atRank: rank), predicate(region) {
        chosen[region.id] = region
      }
    }
    return chosen.values.sorted { $0.id < $1.id }
  }

  static let fullScanLimit = 4096
  static let samplesPerPick = 32

  /// Stores that may take a new peer or leader: up and heard from recently.
  var healthyStores: [StoreInfo] {
    state.healthyStores(now: now, downAfterMillis: config.storeDownMillis)
  }

  /// Whether the store is known, not a tombstone and heard from recently (it may be offline).
  func isAlive(storeID: UInt64) -> Bool {
    guard let store = state.stores[storeID] else { return false }
    return !store.isTombstone
      && !store.isDown(now: now, downAfterMillis: config.storeDownMillis)
  }

  func isHealthy(storeID: UInt64) -> Bool {
    state.isHealthy(storeID: storeID, now: now, downAfterMillis: config.storeDownMillis)
  }

  /// Whether a balancer may pick `region`: it has a leader, all its replicas, no running
  /// operator, and every peer on a healthy store. The others are the replica checker's;
  /// balancers skip them one by one (PD's region filters), so a region that stays unhealthy,
  /// even one that no longer heartbeats, holds up nothing else. Pending peers are each
  /// balancer's own rule.
  func isBalanceable(_ region: RegionInfo) -> Bool {
    region.leader != nil && region.peers.count == state.maxReplicas
      && !busyRegions.contains(region.id)
      && region.peers.allSatisfy { isHealthy(storeID: $0.storeID) }
  }

  /// The healthy store with the least projected region size that has no peer of `region`.
  func bestTarget(for region: RegionInfo) -> StoreInfo? {
    let taken = region.storeIDs
    return healthyStores.filter { !taken.contains($0.id) }.min {
      (load(of: $0.id).regionSizeMiB, $0.id) < (load(of: $1.id).regionSizeMiB, $1.id)
    }
  }

  /// Steps that move `region`'s peer from `source` to `target`: add the new peer, hand over
  /// leadership first if the leaving peer leads, then remove the old peer.
  func movePeerSteps(
    _ region: RegionInfo, from source: UInt64, to target: UInt64, newPeerID: UInt64
  ) -> [OperatorStep] {
    var steps: [OperatorStep] = [.addPeer(storeID: target, peerID: newPeerID)]
    if region.leader?.storeID == source {
      steps.append(.transferLeader(fromStore: source, toStore: target))
    }
    steps.append(.removePeer(storeID: source))
    return steps
  }

  func makeOperator(
    _ region: RegionInfo, kind: Operator.Kind, reason: String, steps: [OperatorStep]
  ) -> Operator {
    let moves = steps.contains { $0.isConfChange }
    return Operator(
      region: region, kind: kind, reason: reason, steps: steps, now: now,
      timeoutMillis: moves ? config.regionOperatorTimeoutMillis : config.leaderOperatorTimeoutMillis
    )
  }
}
