/// Evens out leaders: transfer the leadership of a region from the healthy store leading the
/// most regions to the healthy follower store leading the fewest, when the difference is at
/// least two (after the transfer it is at least zero, so the reverse never qualifies).
enum BalanceLeaderScheduler {
  static let retryLimit = 10

  static func schedule(_ context: inout ScheduleContext) -> Operator? {
    let stores = context.healthyStores
    guard stores.count > 1 else { return nil }
    var ledBy: [UInt64: [RegionInfo]] = [:]
    for region in context.state.regions.unordered {
      guard let leader = region.leader, !context.busyRegions.contains(region.id) else { continue }
      ledBy[leader.storeID, default: []].append(region)
    }
    let sources = stores.sorted {
      let (a, b) = (context.load(of: $0.id).leaderCount, context.load(of: $1.id).leaderCount)
      return a != b ? a > b : $0.id < $1.id
    }
    for source in sources {
      guard let regions = ledBy[source.id], !regions.isEmpty else { continue }
      for _ in 0..<min(retryLimit, regions.count) {
        let region = regions[Int(context.random.next() % UInt64(regions.count))]
        let targets = region.followers.filter {
          context.isHealthy(storeID: $0.storeID) && !region.isPending(peerID: $0.id)
            && !context.undoes(.leader, regionID: region.id, from: source.id, to: $0.storeID)
        }
        guard
          let target = targets.min(by: {
            let (a, b) = (context.load(of: $0.storeID).leaderCount, context.load(of: $1.storeID).leaderCount)
            return a != b ? a < b : $0.storeID < $1.storeID
          })
        else { continue }
        let gap = context.load(of: source.id).leaderCount - context.load(of: target.storeID).leaderCount
        guard gap > 1 else { continue }
        return context.makeOperator(
          region, kind: .balanceLeader,
          reason: "store \(source.id) leads \(gap) more regions than store \(target.storeID)",
          steps: [.transferLeader(fromStore: source.id, toStore: target.storeID)])
      }
    }
    return nil
  }
}
