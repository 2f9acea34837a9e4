import TinyKVProto

/// The running operators (at most one per region) and the last finished one of each region.
struct OperatorController: Sendable {
  private(set) var running: [UInt64: Operator] = [:]
  private(set) var finished: [UInt64: Operator] = [:]
  /// Totals of finished operators by status, for status displays and tests.
  private(set) var finishedCounts: [Operator.Status: Int] = [:]
  /// The most recently finished operators, oldest first, at most `historyLimit`.
  private(set) var history: [Operator] = []
  static let historyLimit = 4096

  func runningCount(of kind: Operator.Kind) -> Int {
    running.values.reduce(0) { $0 + ($1.kind == kind ? 1 : 0) }
  }

  /// Adds `op` unless its region already has one running.
  /// - Returns: whether it was added.
  @discardableResult
  mutating func add(_ op: Operator) -> Bool {
    guard running[op.regionID] == nil, !op.steps.isEmpty else { return false }
    running[op.regionID] = op
    return true
  }

  /// Stops the region's operator with `status` (cancelled, replaced, ...).
  mutating func stop(regionID: UInt64, status: Operator.Status, now: Int64) {
    guard var op = running.removeValue(forKey: regionID) else { return }
    op.status = status
    op.finishedAt = now
    finished[regionID] = op
    finishedCounts[status, default: 0] += 1
    if history.count >= Self.historyLimit { history.removeFirst(history.count / 2) }
    history.append(op)
  }

  /// Checks the region's running operator against its latest heartbeat.
  /// - Returns: the step to send to the leader, or nil if there is none (no operator, or it
  ///   just finished, timed out or went stale; it is then moved to `finished`).
  mutating func dispatch(_ region: RegionInfo, now: Int64) -> OperatorStep? {
    guard var op = running[region.id] else { return nil }
    let progress = op.check(region, now: now)
    running[region.id] = op
    switch progress {
    case .send(let step): return step
    case .finished: stop(regionID: region.id, status: .success, now: now)
    case .timedOut: stop(regionID: region.id, status: .timeout, now: now)
    case .stale: stop(regionID: region.id, status: .cancelled, now: now)
    }
    return nil
  }

  /// Times out every running operator past its deadline, whether or not its region still
  /// heartbeats (a region that went silent would otherwise keep its operator, and the load it
  /// projects, for ever).
  /// - Returns: the operators timed out, by region id.
  mutating func expire(now: Int64) -> [Operator] {
    let overdue = running.values.filter { now > $0.deadline }.map(\.regionID).sorted()
    for regionID in overdue { stop(regionID: regionID, status: .timeout, now: now) }
    return overdue.compactMap { finished[$0] }
  }

  /// The region's running operator, else its last finished one.
  func `operator`(regionID: UInt64) -> Operator? { running[regionID] ?? finished[regionID] }

  /// Store loads as they will be once every running operator is done, so that schedulers do
  /// not pile several moves onto the same store (and then undo them).
  func projectedLoads(_ state: ClusterState) -> [UInt64: StoreLoad] {
    var loads: [UInt64: StoreLoad] = [:]
    for storeID in state.stores.keys { loads[storeID] = state.load(of: storeID) }
    for op in running.values {
      guard let region = state.regions.region(id: op.regionID) else { continue }
      let size = Int64(region.approximateSizeMiB)
      for step in op.steps[op.currentStep...] {
        switch step {
        case .addPeer(let storeID, _) where region.peer(onStore: storeID) == nil:
          loads[storeID, default: StoreLoad()].regionCount += 1
          loads[storeID, default: StoreLoad()].regionSizeMiB += size
        case .removePeer(let storeID) where region.peer(onStore: storeID) != nil:
          loads[storeID, default: StoreLoad()].regionCount -= 1
          loads[storeID, default: StoreLoad()].regionSizeMiB -= size
        case .transferLeader(let from, let to) where region.leader?.storeID == from:
          loads[from, default: StoreLoad()].leaderCount -= 1
          loads[from, default: StoreLoad()].leaderSizeMiB -= size
          loads[to, default: StoreLoad()].leaderCount += 1
          loads[to, default: StoreLoad()].leaderSizeMiB += size
        default: break
        }
      }
    }
    return loads
  }
}
