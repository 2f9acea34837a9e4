import Engine
import Foundation
import TinyKVProto

extension Cluster {
  /// Handles one region heartbeat from the region's leader: updates the map (refusing stale
  /// heartbeats), advances or cancels the region's operator, lets the replica checker make one
  /// if there is none, and returns the command for the leader, if any.
  /// - Throws: `notBootstrapped`; `invalidArgument` for a heartbeat without region or leader;
  ///   `storeNotFound`/`storeTombstone` for a leader on an unknown or removed store;
  ///   `staleRegion` for an outdated epoch.
  public func regionHeartbeat(_ region: RegionInfo) throws(SchedulerError) -> HeartbeatCommand? {
    guard region.id != 0 else { throw .invalid("region heartbeat without a region id") }
    guard let leader = region.leader, leader.id != 0,
      region.peers.contains(where: { $0.id == leader.id && $0.storeID == leader.storeID })
    else { throw .invalid("region \(region.id) heartbeat without a leader among its peers") }
    let now = clock.monotonicMillis()
    return try withBootstrapped { state throws(SchedulerError) -> HeartbeatCommand? in
      guard let store = state.map.stores[leader.storeID] else {
        throw SchedulerError(
          code: .storeNotFound, message: "invalid store ID \(leader.storeID), not found")
      }
      guard !store.isTombstone else {
        throw SchedulerError(code: .storeTombstone, message: "store \(store.id) is tombstone")
      }
      let update = try state.map.apply(heartbeat: region)
      if update.metaChanged || !update.removed.isEmpty {
        try storage.write(sync: false) { batch throws(EngineError) in
          try storage.put(batch, MetaKey.region(region.id), region.meta)
          for old in update.removed { try batch.delete(.default, MetaKey.region(old.id)) }
        }
        for old in update.removed {
          state.operators.stop(regionID: old.id, status: .cancelled, now: now)
          state.lastMoves.forget(regionID: old.id)
        }
      }
      let downAfter = config.storeDownMillis
      // Most heartbeats need no replica work; only those that do pay for a scheduling context.
      var hasUnhealthyPeer = false
      for peer in region.peers where !hasUnhealthyPeer {
        hasUnhealthyPeer = !state.map.isHealthy(
          storeID: peer.storeID, now: now, downAfterMillis: downAfter)
      }
      let needsReplicaWork = hasUnhealthyPeer || region.peers.count != state.map.maxReplicas
      // Repairing a replica on a failed store comes before balancing: a balance operator on
      // such a region gives way (PD's priorities, simplified).
      if hasUnhealthyPeer, let running = state.operators.running[region.id],
        running.kind != .replica
      {
        state.operators.stop(regionID: region.id, status: .replaced, now: now)
      }
      if needsReplicaWork, state.operators.running[region.id] == nil,
        state.operators.runningCount(of: .replica) < config.replicaScheduleLimit
      {
        var context = makeContext(&state, now: now)
        if let op = try ReplicaChecker.check(region, &context) {
          state.operators.add(op)
          logger.debug("new operator", metadata: ["operator": "\(op)"])
        }
        state.random = context.random
      }
      guard let step = state.operators.dispatch(region, now: now) else { return nil }
      let map = state.map  // copy-on-write: not changed while the closure lives
      return command(for: step, region: region) {
        map.isHealthy(storeID: $0, now: now, downAfterMillis: downAfter)
      }
    }
  }

  /// The leader's instruction for `step`. Removing the leader's own peer first hands
  /// leadership to a caught-up follower on a healthy store; the removal follows next time.
  func command(
    for step: OperatorStep, region: RegionInfo, healthy: (UInt64) -> Bool
  ) -> HeartbeatCommand? {
    guard let leader = region.leader else { return nil }
    let action: HeartbeatCommand.Action
    switch step {
    case .addPeer(let storeID, let peerID):
      var peer = Metapb_Peer()
      peer.id = peerID
      peer.storeID = storeID
      action = .addPeer(peer)
    case .removePeer(let storeID):
      guard let peer = region.peer(onStore: storeID) else { return nil }
      if peer.id == leader.id {
        guard
          let heir = region.followers.first(where: {
            healthy($0.storeID) && !region.isPending(peerID: $0.id)
          })
        else { return nil }
        action = .transferLeader(heir)
      } else {
        action = .removePeer(peer)
      }
    case .transferLeader(_, let toStore):
      guard let peer = region.peer(onStore: toStore) else { return nil }
      action = .transferLeader(peer)
    }
    return HeartbeatCommand(
      regionID: region.id, epoch: region.epoch, targetPeer: leader, action: action)
  }

  /// The region holding `key`, with its leader if known.
  public func region(containing key: Data) throws(SchedulerError) -> RegionInfo? {
    try withBootstrapped { $0.map.regions.region(containing: key) }
  }

  /// The region before the one holding `key`.
  public func region(before key: Data) throws(SchedulerError) -> RegionInfo? {
    try withBootstrapped { $0.map.regions.region(before: key) }
  }

  /// The region with `id`.
  public func region(id: UInt64) throws(SchedulerError) -> RegionInfo? {
    try withBootstrapped { $0.map.regions.region(id: id) }
  }

  /// Up to `limit` regions (all if `limit <= 0`) from the one holding `startKey`, before
  /// `endKey` (empty: no bound).
  public func scanRegions(startKey: Data, endKey: Data, limit: Int) throws(SchedulerError)
    -> [RegionInfo]
  {
    try withBootstrapped { $0.map.regions.scan(startKey: startKey, endKey: endKey, limit: limit) }
  }

  /// How many regions the map holds.
  public var regionCount: Int { state.withLock { $0.map.regions.count } }

  /// Ids for the new region of a split: one region id and one peer id per peer of `region`.
  /// - Throws: `regionNotFound` for a region the scheduler has not heard of.
  public func askSplit(_ region: Metapb_Region) throws(SchedulerError) -> (
    regionID: UInt64, peerIDs: [UInt64]
  ) {
    let known = try withBootstrapped { $0.map.regions.region(id: region.id) }
    guard known != nil else {
      throw SchedulerError(code: .regionNotFound, message: "region \(region.id) not found")
    }
    let ids = try allocator.allocate(count: 1 + region.peers.count)
    return (ids[0], Array(ids.dropFirst()))
  }
}
