/// Evens out leaders: transfer the leadership of a region from the healthy store leading the
/// most regions to the healthy follower store leading the fewest, when the difference is at
/// least two (after the transfer it is at least zero, so the reverse never qualifies). Only
/// balanceable regions with every peer caught up are picked (PD's pending and down filters).
enum BalanceLeaderScheduler {
  /// Regions tried per source before moving on.
  static let retryLimit = 10

  static func schedule(_ context: inout ScheduleContext) -> Operator? {
    let stores = context.healthyStores
    guard stores.count > 1 else { return nil }
    let sources = stores.sorted {
      let (a, b) = (context.load(of: $0.id).leaderCount, context.load(of: $1.id).leaderCount)
      return a != b ? a > b : $0.id < $1.id
    }
    for source in sources {
      let sourceID = source.id
      let regions = context.sampleRegions(limit: retryLimit) { [context] in
        $0.leader?.storeID == sourceID && $0.pendingPeers.isEmpty && context.isBalanceable($0)
      }
      for region in regions {
        let targets = region.followers.filter {
          context.isHealthy(storeID: $0.storeID) && !region.isPending(peerID: $0.id)
            && !context.undoes(.leader, regionID: region.id, from: sourceID, to: $0.storeID)
        }
        guard
          let target = targets.min(by: {
            let (a, b) = (
              context.load(of: $0.storeID).leaderCount, context.load(of: $1.storeID).leaderCount
            )
            return a != b ? a < b : $0.storeID < $1.storeID
          })
        else { continue }
        let gap =
          context.load(of: sourceID).leaderCount - context.load(of: target.storeID).leaderCount
        guard gap > 1 else { continue }
        return context.makeOperator(
          region, kind: .balanceLeader,
          reason: "store \(sourceID) leads \(gap) more regions than store \(target.storeID)",
          steps: [.transferLeader(fromStore: sourceID, toStore: target.storeID)])
      }
    }
    return nil
  }
}
