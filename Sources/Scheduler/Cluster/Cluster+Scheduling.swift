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

  /// Times out overdue operators, then runs the balance schedulers, each as long as it finds
  /// work, up to its own limit of running operators. The new operators go out with the
  /// regions' next heartbeats.
  ///
  /// As in PD, each balancer is held back only by its own limit, and skips unhealthy regions
  /// one by one (`ScheduleContext.isBalanceable`) instead of waiting for the whole cluster to
  /// be healthy: a region that lost its quorum and stopped heartbeating while short of a
  /// replica holds up nothing else. Operators expire here, every pass, not only when their
  /// region heartbeats, so a silent region's operator does not count against a limit, nor
  /// project its moves, for ever. Why balancing is held back is logged once per change.
  /// - Returns: the operators created.
  @discardableResult
  public func runSchedulers() -> [Operator] {
    let now = clock.monotonicMillis()
    return state.withLock { state -> [Operator] in
      guard state.bootstrapped else { return [] }
      for op in state.operators.expire(now: now) {
        logger.warning("operator timed out", metadata: ["operator": "\(op)"])
      }
      var created: [Operator] = []
      do {
        if config.balanceRegion {
          try balance(
            .balanceRegion, limit: config.regionScheduleLimit, &state, now: now, into: &created
          ) { context throws(SchedulerError) in try BalanceRegionScheduler.schedule(&context) }
        }
        if config.balanceLeader {
          try balance(
            .balanceLeader, limit: config.leaderScheduleLimit, &state, now: now, into: &created
          ) { context in BalanceLeaderScheduler.schedule(&context) }
        }
      } catch {
        logger.warning("scheduling stopped: \(error)")
      }
      for op in created { logger.debug("new operator", metadata: ["operator": "\(op)"]) }
      logHoldChanges(&state)
      return created
    }
  }

  /// Runs one balancer while it finds work and fewer than `limit` operators of `kind` run.
  private func balance(
    _ kind: Operator.Kind, limit: Int, _ state: inout State, now: Int64,
    into created: inout [Operator],
    _ scheduler: (inout ScheduleContext) throws(SchedulerError) -> Operator?
  ) throws(SchedulerError) {
    while state.operators.runningCount(of: kind) < limit {
      var context = makeContext(&state, now: now)
      let op = try scheduler(&context)
      state.random = context.random
      guard let op, state.operators.add(op) else { break }
      state.lastMoves.record(op)
      created.append(op)
    }
  }

  /// Logs the holds on balancing that began or ended since the last pass.
  private func logHoldChanges(_ state: inout State) {
    let holds = SchedulingHold.current(
      operators: state.operators, map: state.map, config: config)
    guard holds != state.holds else { return }
    for line in SchedulingHold.changes(
      from: state.holds, to: holds, map: state.map, config: config)
    {
      logger.info("\(line)")
    }
    state.holds = holds
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
