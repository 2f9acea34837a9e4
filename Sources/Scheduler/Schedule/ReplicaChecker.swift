/// Keeps every region at the configured number of healthy replicas: adds a peer when a region
/// has too few, replaces peers on stores that are down, offline, tombstoned or unknown, and
/// removes extras.
///
/// A replacement adds the new peer before removing the old one, so the region never has fewer
/// live peers than before the operator.
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
      return context.makeOperator(
        region, kind: .replica, reason: "replace peer on unhealthy store \(bad.storeID)",
        steps: [.addPeer(storeID: target.id, peerID: peerID), .removePeer(storeID: bad.storeID)])
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
