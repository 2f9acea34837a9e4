/// TinyKV's balance-region: move a region's peer from the healthy store with the most region
/// size to the healthy store with the least that does not hold the region yet, but only when
/// the gap between the two is more than twice the region's size. After such a move the gap is
/// still positive, so the opposite move can never qualify: no ping-pong.
///
/// Candidates on the source are tried in TinyKV's order: regions whose peer there is pending,
/// then regions it follows, then regions it leads. Only fully replicated regions without a
/// running operator move (the replica checker handles the rest).
enum BalanceRegionScheduler {
  /// Random picks per category before moving on.
  static let retryLimit = 10

  static func schedule(_ context: inout ScheduleContext) throws(SchedulerError) -> Operator? {
    let stores = context.healthyStores
    guard stores.count > 1 else { return nil }
    let candidates = Candidates(context)
    let sources = stores.sorted {
      let (a, b) = (context.load(of: $0.id).regionSizeMiB, context.load(of: $1.id).regionSizeMiB)
      return a != b ? a > b : $0.id < $1.id
    }
    for source in sources {
      let lists = candidates.lists[source.id] ?? [[], [], []]
      for list in lists where !list.isEmpty {
        for _ in 0..<min(retryLimit, list.count) {
          let region = list[Int(context.random.next() % UInt64(list.count))]
          guard let target = context.bestTarget(for: region),
            !context.undoes(.peer, regionID: region.id, from: source.id, to: target.id)
          else { continue }
          let gap = context.load(of: source.id).regionSizeMiB - context.load(of: target.id).regionSizeMiB
          guard gap > 2 * Int64(region.approximateSizeMiB) else { continue }
          let peerID = try context.allocateID()
          return context.makeOperator(
            region, kind: .balanceRegion,
            reason: "store \(source.id) has \(gap) MiB more than store \(target.id)",
            steps: context.movePeerSteps(region, from: source.id, to: target.id, newPeerID: peerID))
        }
      }
    }
    return nil
  }

  /// Movable regions per store, split into pending, follower and leader peers there.
  private struct Candidates {
    var lists: [UInt64: [[RegionInfo]]] = [:]

    init(_ context: ScheduleContext) {
      let maxReplicas = context.state.maxReplicas
      for region in context.state.regions.unordered {
        guard let leader = region.leader, region.peers.count == maxReplicas,
          !context.busyRegions.contains(region.id)
        else { continue }
        for peer in region.peers {
          let category = region.isPending(peerID: peer.id) ? 0 : (peer.id == leader.id ? 2 : 1)
          lists[peer.storeID, default: [[], [], []]][category].append(region)
        }
      }
    }
  }
}
