/// Something that keeps the balancers from doing all they could, as seen after a scheduling
/// pass. The set of holds is remembered between passes (one runs every 100 ms) so that each
/// change is logged once rather than every pass.
enum SchedulingHold: Hashable, Sendable, Comparable {
  /// Balance-region runs `region-schedule-limit` operators; further moves wait.
  case regionLimit
  /// Balance-leader runs `leader-schedule-limit` operators; further transfers wait.
  case leaderLimit
  /// Some regions lack a replica; the balancers skip them until the replica checker repairs
  /// them (a region that no longer heartbeats stays so).
  case underReplicatedRegions

  /// The holds in force once a pass is done.
  static func current(
    operators: OperatorController, map: ClusterState, config: SchedulerConfig
  ) -> Set<SchedulingHold> {
    var holds: Set<SchedulingHold> = []
    if config.balanceRegion
      && operators.runningCount(of: .balanceRegion) >= config.regionScheduleLimit
    {
      holds.insert(.regionLimit)
    }
    if config.balanceLeader
      && operators.runningCount(of: .balanceLeader) >= config.leaderScheduleLimit
    {
      holds.insert(.leaderLimit)
    }
    if map.underReplicatedRegionCount > 0 { holds.insert(.underReplicatedRegions) }
    return holds
  }

  /// Log lines for the holds that began or ended between `old` and `new`, in a stable order.
  static func changes(
    from old: Set<SchedulingHold>, to new: Set<SchedulingHold>, map: ClusterState,
    config: SchedulerConfig
  ) -> [String] {
    let began = new.subtracting(old).sorted().map { $0.began(map: map, config: config) }
    let ended = old.subtracting(new).sorted().map(\.ended)
    return began + ended
  }

  private func began(map: ClusterState, config: SchedulerConfig) -> String {
    switch self {
    case .regionLimit:
      "balance-region held back: \(config.regionScheduleLimit) operators running (region-schedule-limit)"
    case .leaderLimit:
      "balance-leader held back: \(config.leaderScheduleLimit) operators running (leader-schedule-limit)"
    case .underReplicatedRegions:
      "\(map.underReplicatedRegionCount) regions lack a replica: balancing skips them until they are repaired"
    }
  }

  private var ended: String {
    switch self {
    case .regionLimit: "balance-region below region-schedule-limit again"
    case .leaderLimit: "balance-leader below leader-schedule-limit again"
    case .underReplicatedRegions: "no region lacks a replica any more"
    }
  }
}
