import Foundation
import TinyKVProto

/// A region and its leader, as the scheduler knows them.
public struct RegionLocation: Sendable, Equatable {
  /// Range, epoch and peers.
  public var region: Metapb_Region
  /// The leader, if one has reported since the scheduler started.
  public var leader: Metapb_Peer?

  /// A region and its leader, if known (for `RegionDirectory` implementations).
  public init(region: Metapb_Region, leader: Metapb_Peer?) {
    self.region = region
    self.leader = leader
  }
}

extension SchedulerClient {
  /// A timestamp, packed as `physical_ms << 18 | logical`; strictly above every timestamp
  /// handed out before, to anyone.
  public func timestamp() async throws -> UInt64 {
    try await Self.retrying(options) { try await batcher.next() }
  }

  /// `count` consecutive timestamps (1 to 131,071) in one call; returns the largest, and the
  /// others are the `count - 1` values just below it.
  public func timestamps(count: UInt32) async throws -> UInt64 {
    guard count > 0, count < 1 << 17 else {
      throw SchedulerClientError.invalidArgument(
        "a timestamp batch must hold 1 to 131,071 timestamps")
    }
    return try await Self.retrying(options) { try await batcher.next(count: count) }
  }

  /// A new unique id.
  public func allocID() async throws -> UInt64 {
    try await call(
      { header in
        var request = Schedulerpb_AllocIDRequest()
        request.header = header
        return try await stub.allocID(request)
      }, header: \.header
    ).id
  }

  /// Whether the cluster has been bootstrapped.
  public func isBootstrapped() async throws -> Bool {
    try await call(
      { header in
        var request = Schedulerpb_IsBootstrappedRequest()
        request.header = header
        return try await stub.isBootstrapped(request)
      }, header: \.header
    ).bootstrapped
  }

  /// Bootstraps the cluster with its first store.
  /// - Throws: `SchedulerClientError.scheduler` with `ALREADY_BOOTSTRAPPED` the second time.
  public func bootstrap(store: Metapb_Store) async throws {
    _ = try await call(
      { header in
        var request = Schedulerpb_BootstrapRequest()
        request.header = header
        request.store = store
        return try await stub.bootstrap(request)
      }, header: \.header)
  }

  /// Registers a store (or updates its address).
  public func putStore(_ store: Metapb_Store) async throws {
    _ = try await call(
      { header in
        var request = Schedulerpb_PutStoreRequest()
        request.header = header
        request.store = store
        return try await stub.putStore(request)
      }, header: \.header)
  }

  /// The store with `id` and its last statistics.
  public func store(id: UInt64) async throws -> (
    store: Metapb_Store, stats: Schedulerpb_StoreStats?
  ) {
    let response = try await call(
      { header in
        var request = Schedulerpb_GetStoreRequest()
        request.header = header
        request.storeID = id
        return try await stub.getStore(request)
      }, header: \.header)
    return (response.store, response.hasStats ? response.stats : nil)
  }

  /// Every store, in id order, tombstones optionally left out.
  public func stores(excludingTombstones: Bool = false) async throws -> [Metapb_Store] {
    try await call(
      { header in
        var request = Schedulerpb_GetAllStoresRequest()
        request.header = header
        request.excludeTombstoneStores = excludingTombstones
        return try await stub.getAllStores(request)
      }, header: \.header
    ).stores
  }

  /// Reports a store's statistics (and that it is alive).
  public func storeHeartbeat(_ stats: Schedulerpb_StoreStats) async throws {
    _ = try await call(
      { header in
        var request = Schedulerpb_StoreHeartbeatRequest()
        request.header = header
        request.stats = stats
        return try await stub.storeHeartbeat(request)
      }, header: \.header)
  }

  /// Fresh ids for splitting `region`: the new region's, and one peer id per peer of `region`,
  /// in its peer order.
  public func askSplit(
    _ region: Metapb_Region
  ) async throws -> (regionID: UInt64, peerIDs: [UInt64]) {
    let response = try await call(
      { header in
        var request = Schedulerpb_AskSplitRequest()
        request.header = header
        request.region = region
        return try await stub.askSplit(request)
      }, header: \.header)
    return (response.newRegionID, response.newPeerIds)
  }

  /// The region holding `key`, or nil if none is known.
  public func region(containing key: Data) async throws -> RegionLocation? {
    location(
      try await call(
        { header in
          var request = Schedulerpb_GetRegionRequest()
          request.header = header
          request.regionKey = key
          return try await stub.getRegion(request)
        }, header: \.header))
  }

  /// The region with `id`, or nil if none is known.
  public func region(id: UInt64) async throws -> RegionLocation? {
    location(
      try await call(
        { header in
          var request = Schedulerpb_GetRegionByIDRequest()
          request.header = header
          request.regionID = id
          return try await stub.getRegionByID(request)
        }, header: \.header))
  }

  /// Up to `limit` regions (all if 0) from the one holding `start`, before `end` (empty: no
  /// bound).
  public func scanRegions(from start: Data = Data(), to end: Data = Data(), limit: Int32 = 0)
    async throws -> [RegionLocation]
  {
    let response = try await call(
      { header in
        var request = Schedulerpb_ScanRegionsRequest()
        request.header = header
        request.startKey = start
        request.endKey = end
        request.limit = limit
        return try await stub.scanRegions(request)
      }, header: \.header)
    return response.regions.enumerated().map { index, region in
      let leader = index < response.leaders.count ? response.leaders[index] : nil
      return RegionLocation(region: region, leader: leader?.id == 0 ? nil : leader)
    }
  }

  private func location(_ response: Schedulerpb_GetRegionResponse) -> RegionLocation? {
    guard response.hasRegion else { return nil }
    return RegionLocation(
      region: response.region, leader: response.hasLeader ? response.leader : nil)
  }

  /// The cluster id and replica count.
  public func clusterConfig() async throws -> Metapb_Cluster {
    try await call(
      { header in
        var request = Schedulerpb_GetClusterConfigRequest()
        request.header = header
        return try await stub.getClusterConfig(request)
      }, header: \.header
    ).cluster
  }

  /// The region's running operator, else its last finished one.
  public func `operator`(regionID: UInt64) async throws -> Schedulerpb_GetOperatorResponse {
    try await call(
      { header in
        var request = Schedulerpb_GetOperatorRequest()
        request.header = header
        request.regionID = regionID
        return try await stub.getOperator(request)
      }, header: \.header)
  }

  /// Asks the scheduler to move the region's leadership to its peer on `storeID`. The
  /// operator is carried out by the region's next heartbeats; follow it with `operator(regionID:)`.
  /// - Throws: `SchedulerClientError.scheduler` for an unknown region or store, a store without
  ///   a peer of the region or already leading it, or a region with an operator running.
  /// - Returns: the operator's description.
  @discardableResult
  public func transferLeader(regionID: UInt64, toStore storeID: UInt64) async throws -> String {
    try await addOperator(regionID: regionID, kind: .transferLeader, from: 0, to: storeID)
  }

  /// Asks the scheduler to move the region's peer from store `source` to store `target` (add
  /// the new peer, hand over leadership if the leaving peer leads, remove the old peer).
  /// - Throws: `SchedulerClientError.scheduler` for an unknown region or store, a source
  ///   without a peer of the region, a target that already holds one, or a region with an
  ///   operator running.
  /// - Returns: the operator's description.
  @discardableResult
  public func movePeer(regionID: UInt64, from source: UInt64, to target: UInt64) async throws
    -> String
  {
    try await addOperator(regionID: regionID, kind: .movePeer, from: source, to: target)
  }

  private func addOperator(
    regionID: UInt64, kind: Schedulerpb_AddOperatorKind, from source: UInt64, to target: UInt64
  ) async throws -> String {
    let response = try await call(
      { header in
        var request = Schedulerpb_AddOperatorRequest()
        request.header = header
        request.regionID = regionID
        request.kind = kind
        request.fromStoreID = source
        request.toStoreID = target
        return try await stub.addOperator(request)
      }, header: \.header)
    return String(decoding: response.desc, as: UTF8.self)
  }

  /// The GC safe point.
  public func gcSafePoint() async throws -> UInt64 {
    try await call(
      { header in
        var request = Schedulerpb_GetGCSafePointRequest()
        request.header = header
        return try await stub.getGCSafePoint(request)
      }, header: \.header
    ).safePoint
  }

  /// Opens a region heartbeat stream for the duration of `body`: `body` sends heartbeats
  /// with the sender; `onResponse` gets the scheduler's commands (and errors for refused
  /// heartbeats) as they arrive.
  public func regionHeartbeats<Result: Sendable>(
    onResponse: @escaping @Sendable (Schedulerpb_RegionHeartbeatResponse) async -> Void,
    _ body: @escaping @Sendable (RegionHeartbeatSender) async throws -> Result
  ) async throws -> Result {
    let (requests, continuation) = AsyncStream.makeStream(
      of: Schedulerpb_RegionHeartbeatRequest.self)
    let sender = RegionHeartbeatSender(header: header, continuation: continuation)
    return try await withThrowingTaskGroup(of: Result?.self) { group in
      group.addTask {
        try await self.stub.regionHeartbeat(
          requestProducer: { writer in
            for await request in requests { try await writer.write(request) }
          },
          onResponse: { response in
            for try await message in response.messages { await onResponse(message) }
          })
        return nil
      }
      group.addTask {
        defer { continuation.finish() }
        return try await body(sender)
      }
      var result: Result?
      for try await value in group {
        if let value { result = value }
      }
      guard let result else { throw SchedulerClientError.unavailable("heartbeat stream ended") }
      return result
    }
  }
}

/// Sends region heartbeats on an open stream (see `SchedulerClient.regionHeartbeats`).
public struct RegionHeartbeatSender: Sendable {
  let header: Schedulerpb_RequestHeader
  let continuation: AsyncStream<Schedulerpb_RegionHeartbeatRequest>.Continuation

  /// Queues a heartbeat; the cluster id header is filled in.
  public func send(_ request: Schedulerpb_RegionHeartbeatRequest) {
    var request = request
    request.header = header
    continuation.yield(request)
  }
}
