import Client
import TinyKVProto

extension Nemesis {
  /// Asks the scheduler for `fault`'s operator (a leader transfer or a peer move to
  /// `fault.store`, on a region chosen with `pick`), then follows it for up to `fault.length`.
  /// - Returns: how it ended: `success`, `timeout`, `cancelled`, `replaced`, `running` (still
  ///   going when the length passed), `skipped: ...` (no region fits) or `refused: ...`.
  func askOperator(_ fault: Fault, pick: UInt64, _ cluster: ChaosCluster) async throws -> String {
    let target = await cluster.storeIDs[fault.store]
    let outcome = try await SchedulerClient.connect(to: cluster.endpoint) { client in
      let regions = try await client.scanRegions().sorted { $0.region.id < $1.region.id }
      let fits =
        fault.kind == .transferLeader
        // A region with a follower on the target.
        ? regions.filter {
          $0.leader != nil && $0.leader?.storeID != target
            && $0.region.peers.contains { $0.storeID == target }
        }
        // A region without a peer on the target.
        : regions.filter { !$0.region.peers.contains { $0.storeID == target } }
      guard !fits.isEmpty else { return "skipped: no region fits" }
      let region = fits[Int(pick % UInt64(fits.count))].region
      let regionID = region.id
      do {
        let desc: String
        if fault.kind == .transferLeader {
          desc = try await client.transferLeader(regionID: regionID, toStore: target)
        } else {
          // The leaving peer, chosen among the region's peers.
          let source = region.peers[Int((pick >> 32) % UInt64(region.peers.count))].storeID
          desc = try await client.movePeer(regionID: regionID, from: source, to: target)
        }
        print("nemesis: \(desc)")
      } catch let error as SchedulerClientError {
        return "refused: \(error)"
      }
      return try await follow(regionID: regionID, for: fault.length, client)
    }
    print("nemesis: \(fault.kind.rawValue) to store-\(fault.store): \(outcome)")
    return outcome
  }

  /// Polls the region's operator until it stops running or `length` has passed.
  private func follow(regionID: UInt64, for length: Duration, _ client: SchedulerClient)
    async throws -> String
  {
    let deadline = ContinuousClock.now + length
    while true {
      let status = try await client.operator(regionID: regionID).status
      if status != .running { return "\(status)" }
      if ContinuousClock.now >= deadline { return "running" }
      try await Task.sleep(for: .milliseconds(100))
    }
  }
}
