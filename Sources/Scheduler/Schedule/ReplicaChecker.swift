/// Keeps every region at the configured number of healthy replicas: adds a peer when a region
/// has too few, replaces peers on stores that are down, offline, tombstoned or unknown, and
/// removes extras.
///
/// A peer on a failed store is removed before its replacement is added; a peer on an offline
/// (draining but alive) store is replaced add-first. Either way a region keeps a majority of
/// live peers throughout.
enum ReplicaChecker {
  static func check(_ region: RegionInfo, _ context: inout ScheduleContext) throws(SchedulerError)
    -> Operator?
  {
    guard region.leader != nil, !context.busyRegions.contains(region.id) else { return nil }
    let maxReplicas = context.state.maxReplicas
    let peers = region.peers
    let unhealthy = peers.filter { !context.isHealthy(storeID: $0.storeID) }

    if peers.count < maxReplicas {
      guard let target = context.bestTarget(for: region) else { return nil }
      let peerID = try context.allocateID()
      return context.makeOperator(
        region, kind: .replica, reason: "add replica (\(peers.count) of \(maxReplicas))",
        steps: [.addPeer(storeID: target.id, peerID: peerID)])
    }

    if let bad = unhealthy.first(where: { $0.id != region.leader?.id }) ?? unhealthy.first {
      if peers.count > maxReplicas {
        return context.makeOperator(
          region, kind: .replica, reason: "remove peer on unhealthy store \(bad.storeID)",
          steps: [.removePeer(storeID: bad.storeID)])
      }
      guard let target = context.bestTarget(for: region) else { return nil }
      let peerID = try context.allocateID()
      // A peer on a store that is gone (down, tombstone, unknown) is dead: remove it first, so
      // the region counts its majority among live peers (2 of 2, then 2 of 3 while the new one
      // catches up; adding first would need 3 of 4 with only 2 alive). A peer on an offline
      // store is still alive: add first, remove after, and the region never loses a voter.
      let addStep = OperatorStep.addPeer(storeID: target.id, peerID: peerID)
      let removeStep = OperatorStep.removePeer(storeID: bad.storeID)
      let alive = context.isAlive(storeID: bad.storeID)
      return context.makeOperator(
        region, kind: .replica,
        reason: "replace peer on \(alive ? "offline" : "failed") store \(bad.storeID)",
        steps: alive ? [addStep, removeStep] : [removeStep, addStep])
    }

    if peers.count > maxReplicas {
      // Remove from the most loaded store, preferring a follower.
      let victim = peers.max { a, b in
        let keyA = (a.id != region.leader?.id, context.load(of: a.storeID).regionSizeMiB, a.storeID)
        let keyB = (b.id != region.leader?.id, context.load(of: b.storeID).regionSizeMiB, b.storeID)
        return keyA < keyB
      }
      guard let victim else { return nil }
      return context.makeOperator(
        region, kind: .replica, reason: "remove extra replica (\(peers.count) of \(maxReplicas))",
        steps: [.removePeer(storeID: victim.storeID)])
    }
    return nil
  }
}

/// Lexicographic comparison of (Bool, Int64, UInt64) tuples, false before true.
private func < (lhs: (Bool, Int64, UInt64), rhs: (Bool, Int64, UInt64)) -> Bool {
  if lhs.0 != rhs.0 { return !lhs.0 }
  if lhs.1 != rhs.1 { return lhs.1 < rhs.1 }
  return lhs.2 < rhs.2
}
