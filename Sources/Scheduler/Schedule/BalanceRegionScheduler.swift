/// TinyKV's balance-region: move a region's peer from the healthy store with the most region
/// size to the healthy store with the least that does not hold the region yet, but only when
/// the gap between the two is more than twice the region's size. After such a move the gap is
/// still positive, so the same two stores never trade the region back.
///
/// Candidates on the source are tried in TinyKV's order: regions whose peer there is pending,
/// then regions it follows, then regions it leads (random within each kind; large maps are
/// sampled). Only regions the context calls balanceable move (fully replicated, on healthy
/// stores, without a running operator); the replica checker handles the rest.
enum BalanceRegionScheduler {
  /// Regions tried per kind and source before moving on.
  static let retryLimit = 10

  static func schedule(_ context: inout ScheduleContext) throws(SchedulerError) -> Operator? {
    let stores = context.healthyStores
    guard stores.count > 1 else { return nil }
    let sources = stores.sorted {
      let (a, b) = (context.load(of: $0.id).regionSizeMiB, context.load(of: $1.id).regionSizeMiB)
      return a != b ? a > b : $0.id < $1.id
    }
    for source in sources {
      let sourceID = source.id
      // Every peer but the one that moves must be caught up: the region then keeps a live
      // majority however the move is ordered.
      let movable = { [context] (region: RegionInfo) -> Bool in
        region.peer(onStore: sourceID) != nil && context.isBalanceable(region)
          && region.pendingPeers.allSatisfy { $0.storeID == sourceID }
      }
      let pendingHere = { (region: RegionInfo) -> Bool in
        region.peer(onStore: sourceID).map { region.isPending(peerID: $0.id) } ?? false
      }
      let pendingIDs = (context.state.pendingRegions[sourceID] ?? []).sorted()
      let pending = pendingIDs.compactMap { context.state.regions.region(id: $0) }
        .filter { movable($0) && pendingHere($0) }
        .shuffled(using: &context.random).prefix(retryLimit)
      let followers = context.sampleRegions(limit: retryLimit) {
        movable($0) && $0.leader?.storeID != sourceID && !pendingHere($0)
      }
      let leaders = context.sampleRegions(limit: retryLimit) {
        movable($0) && $0.leader?.storeID == sourceID && !pendingHere($0)
      }
      for region in Array(pending) + followers + leaders {
        guard let target = context.bestTarget(for: region),
          !context.undoes(.peer, regionID: region.id, from: sourceID, to: target.id)
        else { continue }
        let gap =
          context.load(of: sourceID).regionSizeMiB - context.load(of: target.id).regionSizeMiB
        guard gap > 2 * Int64(region.approximateSizeMiB) else { continue }
        let peerID = try context.allocateID()
        // A lagging peer may be dead: drop it first (the others are caught up), then add.
        let steps =
          pendingHere(region)
          ? [.removePeer(storeID: sourceID), .addPeer(storeID: target.id, peerID: peerID)]
          : context.movePeerSteps(region, from: sourceID, to: target.id, newPeerID: peerID)
        return context.makeOperator(
          region, kind: .balanceRegion,
          reason: "store \(sourceID) has \(gap) MiB more than store \(target.id)", steps: steps)
      }
    }
    return nil
  }
}
