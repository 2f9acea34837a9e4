import Foundation
import TinyKVProto

/// Routes a transaction's requests across a cluster's regions, through the same
/// `RegionRequestSender` as `ClusterRawClient` (region errors, leaders, unreachable stores and
/// deadlines are handled there).
///
/// Keys are routed by `memcomparable(user key)`, the key space transactional regions are split
/// in. A multi-key request (prewrite, commit, rollback) is sent per region: its keys are grouped
/// by `RegionCache.locate`, each group addressed to its region as found, and a group whose
/// region changed (a split, a merge) is regrouped through the refreshed cache and sent again,
/// until `RoutingOptions.timeout` has passed since the operation began.
public struct ClusterTxnRouter: TxnRouting {
  /// Keys of one region, as the cache held it when they were grouped.
  public struct RegionKeys: TxnKeyGroup {
    let region: CachedRegion
    public let keys: [Data]
  }

  let sender: RegionRequestSender

  public func group(_ keys: [Data]) async throws -> [RegionKeys] {
    var order: [UInt64] = []
    var groups: [UInt64: (region: CachedRegion, keys: [Data])] = [:]
    let start = ContinuousClock.now
    var backoffer = Backoffer(sender.options.backoff)
    for key in keys {
      var located = try await sender.cache.locate(key.memcomparable)
      // The scheduler may know no region for a key for a moment (a split it has heard of from
      // one of the two regions only): ask again with backoff, within the request's budget.
      while located == nil, ContinuousClock.now < start + sender.options.timeout {
        try await backoffer.pause(until: start + sender.options.timeout)
        located = try await sender.cache.locate(key.memcomparable)
      }
      guard let region = located else {
        throw KVClientError.unroutable(
          RoutingFailure(
            operation: "txn grouping", key: key, attempts: 0,
            elapsed: ContinuousClock.now - start, lastRegionError: nil,
            lastProblem: "the directory knows no region holding the key"))
      }
      let id = region.region.id
      if groups[id] == nil { order.append(id) }
      groups[id, default: (region, [])].keys.append(key)
    }
    return order.compactMap { groups[$0].map { RegionKeys(region: $0.region, keys: $0.keys) } }
  }

  public func forEach(
    _ groups: [RegionKeys], _ body: @escaping @Sendable (RegionKeys) async throws -> Void
  ) async throws {
    try await forEach(groups, until: ContinuousClock.now + sender.options.timeout, body)
  }

  /// Runs `body` for each group in parallel; regroups a group whose region changed.
  private func forEach(
    _ groups: [RegionKeys], until deadline: ContinuousClock.Instant,
    _ body: @escaping @Sendable (RegionKeys) async throws -> Void
  ) async throws {
    let run = { @Sendable (group: RegionKeys) in
      do {
        try await body(group)
      } catch let error as RegionChangedError {
        guard ContinuousClock.now < deadline else {
          throw KVClientError.unroutable(
            RoutingFailure(
              operation: "txn request to a group of keys", key: group.keys.first ?? Data(),
              attempts: 0, elapsed: sender.options.timeout, lastRegionError: nil,
              lastProblem: error.description))
        }
        try await forEach(try await self.group(group.keys), until: deadline, body)
      }
    }
    if groups.count == 1 { return try await run(groups[0]) }
    try await withThrowingTaskGroup(of: Void.self) { tasks in
      for group in groups { tasks.addTask { try await run(group) } }
      try await tasks.waitForAll()
    }
  }

  public func get(_ request: Kvrpcpb_GetRequest) async throws -> Kvrpcpb_GetResponse {
    try await sender.send("txn get", key: request.key.memcomparable, request).response
  }

  /// KvScan in the region holding `request.startKey`; the pairs past the region's end are
  /// dropped (the next region serves them).
  public func scanRegion(
    _ request: Kvrpcpb_ScanRequest
  ) async throws -> (response: Kvrpcpb_ScanResponse, next: Data?) {
    var (response, region) = try await sender.send(
      "txn scan", key: request.startKey.memcomparable, request
    )
    response.pairs.removeAll { !region.contains($0.key.memcomparable) }
    return (response, region.endKey.isEmpty ? nil : region.endKey.userKeyAtBoundary)
  }

  public func prewrite(
    _ request: Kvrpcpb_PrewriteRequest, to group: RegionKeys
  ) async throws -> Kvrpcpb_PrewriteResponse {
    try await sender.send("txn prewrite", region: group.region, request)
  }

  public func commit(
    _ request: Kvrpcpb_CommitRequest, to group: RegionKeys
  ) async throws -> Kvrpcpb_CommitResponse {
    try await sender.send("txn commit", region: group.region, request)
  }

  public func batchRollback(
    _ request: Kvrpcpb_BatchRollbackRequest, to group: RegionKeys
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    try await sender.send("txn rollback", region: group.region, request)
  }

  public func checkTxnStatus(
    _ request: Kvrpcpb_CheckTxnStatusRequest
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    try await sender.send("txn check status", key: request.primaryKey.memcomparable, request)
      .response
  }

  public func resolveLock(
    _ request: Kvrpcpb_ResolveLockRequest, forKey key: Data
  ) async throws -> Kvrpcpb_ResolveLockResponse {
    try await sender.send("txn resolve lock", key: key.memcomparable, request).response
  }
}
