import TinyKVProto

extension Cluster {
  func makeContext(_ state: inout State, now: Int64) -> ScheduleContext {
    let allocator = allocator
    return ScheduleContext(
      state: state.map, loads: state.operators.projectedLoads(state.map),
      busyRegions: Set(state.operators.running.keys), lastMoves: state.lastMoves, now: now,
      config: config,
      random: state.random,
      allocateID: { () throws(SchedulerError) -> UInt64 in try allocator.allocate() })
  }

  /// Runs the balance schedulers, each as long as it finds work, up to its limit of running
  /// operators. The new operators go out with the regions' next heartbeats.
  ///
  /// The schedulers take turns, so that one does not act on loads another is about to change
  /// (which is how a region ends up moved back and forth): regions are balanced only once no
  /// region lacks a replica and no replica operator runs, and leaders only once no
  /// balance-region operator runs either.
  /// - Returns: the operators created.
  @discardableResult
  public func runSchedulers() -> [Operator] {
    let now = clock.monotonicMillis()
    return state.withLock { state -> [Operator] in
      guard state.bootstrapped else { return [] }
      var created: [Operator] = []
      let replicasSettled =
        state.operators.runningCount(of: .replica) == 0 && !state.map.hasUnderReplicatedRegions
      do {
        if config.balanceRegion && replicasSettled {
          while state.operators.runningCount(of: .balanceRegion) < config.regionScheduleLimit {
            var context = makeContext(&state, now: now)
            let op = try BalanceRegionScheduler.schedule(&context)
            state.random = context.random
            guard let op, state.operators.add(op) else { break }
            state.lastMoves.record(op)
            created.append(op)
          }
        }
        let regionsSettled = state.operators.runningCount(of: .balanceRegion) == 0
        if config.balanceLeader && replicasSettled && regionsSettled {
          while state.operators.runningCount(of: .balanceLeader) < config.leaderScheduleLimit {
            var context = makeContext(&state, now: now)
            let op = BalanceLeaderScheduler.schedule(&context)
            state.random = context.random
            guard let op, state.operators.add(op) else { break }
            state.lastMoves.record(op)
            created.append(op)
          }
        }
      } catch {
        logger.warning("scheduling stopped: \(error)")
      }
      for op in created { logger.debug("new operator", metadata: ["operator": "\(op)"]) }
      return created
    }
  }

  /// Moves one peer of the region from its most loaded store to the least loaded store that
  /// does not hold it (PD's ScatterRegion, simplified): an operator for the next heartbeat.
  /// - Throws: `regionNotFound`.
  /// - Returns: the operator, or nil if the region is already spread as well as it can be.
  @discardableResult
  public func scatter(regionID: UInt64) throws(SchedulerError) -> Operator? {
    let now = clock.monotonicMillis()
    return try withBootstrapped { state throws(SchedulerError) -> Operator? in
      guard let region = state.map.regions.region(id: regionID) else {
        throw SchedulerError(code: .regionNotFound, message: "region \(regionID) not found")
      }
      guard state.operators.running[regionID] == nil else { return nil }
      let context = makeContext(&state, now: now)
      guard let target = context.bestTarget(for: region),
        let source = region.peers.max(by: {
          context.load(of: $0.storeID).regionCount < context.load(of: $1.storeID).regionCount
        }),
        context.load(of: source.storeID).regionCount > context.load(of: target.id).regionCount + 1
      else { return nil }
      let peerID = try context.allocateID()
      let op = context.makeOperator(
        region, kind: .scatter, reason: "scatter",
        steps: context.movePeerSteps(region, from: source.storeID, to: target.id, newPeerID: peerID)
      )
      state.operators.add(op)
      return op
    }
  }

  /// The region's running operator, else its last finished one.
  public func `operator`(regionID: UInt64) throws(SchedulerError) -> Operator? {
    try withBootstrapped { $0.operators.operator(regionID: regionID) }
  }

  /// Every running operator, by region id.
  public func runningOperators() -> [Operator] {
    state.withLock { $0.operators.running.values.sorted { $0.regionID < $1.regionID } }
  }

  /// The most recently finished operators (up to 4,096), oldest first.
  public func finishedOperators() -> [Operator] {
    state.withLock { $0.operators.history }
  }

  /// Finished operators so far, by final status.
  public func finishedOperatorCounts() -> [Operator.Status: Int] {
    state.withLock { $0.operators.finishedCounts }
  }
}

extension Cluster {
  /// Runs `body` with a scheduling context over the current state (for tests and tools that
  /// want one scheduler's decision without adding it).
  func withScheduleContext<T: Sendable>(
    _ body: (inout ScheduleContext) throws(SchedulerError) -> T
  ) throws(SchedulerError) -> T {
    let now = clock.monotonicMillis()
    return try state.withLock { state throws(SchedulerError) -> T in
      var context = makeContext(&state, now: now)
      defer { state.random = context.random }
      return try body(&context)
    }
  }
}
