import TinyKVProto

extension Cluster {
  /// Asks for the region's leadership to move to its peer on `storeID` (pd-ctl's `operator
  /// add transfer-leader`). The operator goes out with the region's next heartbeats, as the
  /// scheduler's own do.
  /// - Throws: `regionNotFound`; `storeNotFound` for an unknown store; `invalidArgument` when
  ///   the store holds no peer of the region, already leads it, is not up or recently heard
  ///   from, or holds a peer still catching up (its leader would refuse the transfer), or the
  ///   region's leader is unknown; `regionBusy` when another operator runs on the region.
  /// - Returns: the operator added.
  @discardableResult
  public func transferLeader(regionID: UInt64, toStore storeID: UInt64) throws(SchedulerError)
    -> Operator
  {
    let now = clock.monotonicMillis()
    return try withBootstrapped { state throws(SchedulerError) -> Operator in
      let region = try adminTarget(regionID: regionID, state: state)
      try requireHealthy(storeID: storeID, state: state, now: now)
      guard let leader = region.leader else {
        throw .invalid("region \(regionID) has no known leader yet")
      }
      guard let peer = region.peer(onStore: storeID) else {
        throw .invalid("region \(regionID) has no peer on store \(storeID)")
      }
      guard leader.storeID != storeID else {
        throw .invalid("store \(storeID) already leads region \(regionID)")
      }
      guard !region.isPending(peerID: peer.id) else {
        throw .invalid(
          "the peer of region \(regionID) on store \(storeID) is still catching up")
      }
      let context = makeContext(&state, now: now)
      let op = context.makeOperator(
        region, kind: .admin, reason: "transfer leader asked for",
        steps: [.transferLeader(fromStore: leader.storeID, toStore: storeID)])
      state.operators.add(op)
      logger.info("new operator", metadata: ["operator": "\(op)"])
      return op
    }
  }

  /// Asks for the region's peer on `source` to move to `target`: add a peer there, hand
  /// leadership to it first if the leaving peer leads, then remove the leaving peer (the
  /// steps balance-region uses, pd-ctl's `operator add transfer-peer`).
  /// - Throws: `regionNotFound`; `storeNotFound` for an unknown store; `invalidArgument` when
  ///   the source holds no peer of the region, the target already holds one, the target is
  ///   not up or recently heard from, the stores are the same, or a peer that stays is still
  ///   catching up (the region could lose its majority); `regionBusy` when another operator
  ///   runs on the region.
  /// - Returns: the operator added.
  @discardableResult
  public func movePeer(regionID: UInt64, from source: UInt64, to target: UInt64)
    throws(SchedulerError) -> Operator
  {
    let now = clock.monotonicMillis()
    return try withBootstrapped { state throws(SchedulerError) -> Operator in
      let region = try adminTarget(regionID: regionID, state: state)
      guard source != target else {
        throw .invalid("moving a peer of region \(regionID) needs two different stores")
      }
      guard state.map.stores[source] != nil else {
        throw SchedulerError(code: .storeNotFound, message: "store \(source) not found")
      }
      try requireHealthy(storeID: target, state: state, now: now)
      guard region.peer(onStore: source) != nil else {
        throw .invalid("region \(regionID) has no peer on store \(source)")
      }
      guard region.peer(onStore: target) == nil else {
        throw .invalid("store \(target) already holds a peer of region \(regionID)")
      }
      guard region.leader != nil else {
        throw .invalid("region \(regionID) has no known leader yet")
      }
      let lagging = region.pendingPeers.filter { $0.storeID != source }
      guard lagging.isEmpty else {
        throw .invalid(
          "region \(regionID) has peers still catching up on stores "
            + lagging.map { "\($0.storeID)" }.joined(separator: ", "))
      }
      let context = makeContext(&state, now: now)
      let peerID = try context.allocateID()
      let op = context.makeOperator(
        region, kind: .admin, reason: "move peer asked for",
        steps: context.movePeerSteps(region, from: source, to: target, newPeerID: peerID))
      state.operators.add(op)
      logger.info("new operator", metadata: ["operator": "\(op)"])
      return op
    }
  }

  /// The region an admin operator is asked for, if it exists and has no running operator.
  private func adminTarget(regionID: UInt64, state: State) throws(SchedulerError) -> RegionInfo {
    guard regionID != 0 else { throw .invalid("an operator needs a region id") }
    guard let region = state.map.regions.region(id: regionID) else {
      throw SchedulerError(code: .regionNotFound, message: "region \(regionID) not found")
    }
    if let running = state.operators.running[regionID] {
      throw SchedulerError(
        code: .regionBusy, message: "region \(regionID) already has an operator: \(running)")
    }
    return region
  }

  /// Throws unless `storeID` is known, up and heard from within the down time.
  private func requireHealthy(storeID: UInt64, state: State, now: Int64) throws(SchedulerError) {
    guard let store = state.map.stores[storeID] else {
      throw SchedulerError(code: .storeNotFound, message: "store \(storeID) not found")
    }
    guard !store.isTombstone else {
      throw SchedulerError(code: .storeTombstone, message: "store \(storeID) is tombstone")
    }
    guard state.map.isHealthy(storeID: storeID, now: now, downAfterMillis: config.storeDownMillis)
    else { throw .invalid("store \(storeID) is not up (offline or not heard from)") }
  }
}
