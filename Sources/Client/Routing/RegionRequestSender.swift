import Foundation
import GRPCCore
import TinyKVProto

/// Sends a request to the store leading the region that holds a key, and retries it there or
/// elsewhere until it is served or its deadline passes (TiKV client-go's `RegionRequestSender`).
///
/// Each attempt locates the key's region in the `RegionCache`, addresses the request to the
/// region's leader (or a guess among its peers) with a filled `Kvrpcpb_Context`, and sends it on
/// that store's connection. Then:
/// - `NotLeader` naming the leader: the cache learns it and the request follows at once;
///   without a leader (an election is on), the next peer is asked after a pause.
/// - `EpochNotMatch` with the store's current regions (after a split): they replace the cached
///   ones and the request is re-routed at once; `StaleCommand` is retried at once.
/// - `KeyNotInRegion`, `RegionNotFound`, `StoreNotMatch`, an epoch error without regions, or an
///   unknown region error: the region is dropped from the cache and looked up again after a
///   pause.
/// - A store that cannot be reached (or does not answer within `attemptTimeout`): its address is
///   forgotten and the next peer is tried, at once unless it too failed in this request.
/// - A busy store (gRPC `RESOURCE_EXHAUSTED`; TinyKV's errorpb has no `ServerIsBusy`): a pause.
///
/// Pauses grow exponentially with jitter. Other gRPC errors end the request at once.
///
/// The router is generic over the RPC, so the raw client and a transactional client share it;
/// a transactional client routes by `memcomparable(user key)`, the key space regions split in.
package struct RegionRequestSender: Sendable {
  /// Where one attempt goes: the store's stub, the request's context, and the call's options
  /// (timeout, fail fast when the store is unreachable).
  package struct Attempt: Sendable {
    package let store: StoreStub
    package let context: Kvrpcpb_Context
    package let callOptions: CallOptions
  }

  /// How one attempt ended.
  enum Outcome<Response> {
    case served(Response)
    case regionError(Errorpb_Error)
    /// The store refused the request for now (`RESOURCE_EXHAUSTED`).
    case busy(String)
    /// The store's address is unknown, its connection failed, or it did not answer in time.
    case unreachable(String)
  }

  /// What the router does after a failed attempt.
  enum Retry {
    case now
    case afterPause
  }

  package let cache: RegionCache
  let connections: StoreConnections
  let options: RoutingOptions

  /// A router over `cache` and `connections`.
  package init(cache: RegionCache, connections: StoreConnections, options: RoutingOptions) {
    self.cache = cache
    self.connections = connections
    self.options = options
  }

  /// Sends `call` to the leader of the region holding `key`, retrying as described above.
  /// - Parameters:
  ///   - operation: the request's name for errors (`raw put`).
  ///   - key: the key that picks the region.
  ///   - call: one RPC to `attempt.store` with `attempt.context` in its request.
  /// - Returns: the first response without a region error, and the region it was served by.
  /// - Throws: `KVClientError.unroutable` when the deadline passes; gRPC errors other than
  ///   unreachable, timed out or busy stores at once; the directory's errors.
  package func send<Response: RegionScopedResponse>(
    _ operation: String, key: Data, _ call: (Attempt) async throws -> Response
  ) async throws -> (response: Response, region: Metapb_Region) {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + options.timeout
    var backoffer = Backoffer(options.backoff)
    var attempts = 0
    var lastRegionError: Errorpb_Error?
    var lastProblem = "no attempt was made"
    var unreachableStores: Set<UInt64> = []

    while clock.now < deadline {
      guard let region = try await cache.locate(key), let peer = region.target else {
        lastProblem = "the directory knows no region with peers holding the key"
        try await backoffer.pause(until: deadline)
        continue
      }
      attempts += 1
      let retry: Retry
      switch try await attempt(call, region: region, peer: peer, deadline: deadline) {
      case .served(let response):
        return (response, region.region)
      case .regionError(let error):
        lastRegionError = error
        lastProblem = "store \(peer.storeID) answered \(error.summary)"
        retry = try await learn(from: error, region: region, peer: peer)
      case .busy(let message):
        lastProblem = "store \(peer.storeID) is busy: \(message)"
        retry = .afterPause
      case .unreachable(let reason):
        lastProblem = "store \(peer.storeID) is unreachable: \(reason)"
        unreachableStores.insert(peer.storeID)
        cache.invalidateStore(peer.storeID)
        let next = cache.switchPeer(regionID: region.region.id, awayFrom: peer)
        let nextIsUntried = next.map { !unreachableStores.contains($0.storeID) } ?? false
        retry = nextIsUntried ? .now : .afterPause
      }
      if retry == .afterPause { try await backoffer.pause(until: deadline) }
    }
    throw KVClientError.unroutable(
      RoutingFailure(
        operation: operation, key: key, attempts: attempts, elapsed: clock.now - start,
        lastRegionError: lastRegionError, lastProblem: lastProblem))
  }

  /// Sends `request` to the leader of the region holding `key` with `rpc` (a stub's method),
  /// its context filled for each attempt; retries as `send(_:key:_:)` does.
  package func send<Request: RegionScopedRequest, Response: RegionScopedResponse>(
    _ operation: String, key: Data, _ request: Request,
    _ rpc: (StoreStub, Request, CallOptions) async throws -> Response
  ) async throws -> (response: Response, region: Metapb_Region) {
    try await send(operation, key: key) { attempt in
      var request = request
      request.context = attempt.context
      return try await rpc(attempt.store, request, attempt.callOptions)
    }
  }

  /// One RPC to `peer` of `region`, timed out at the attempt timeout or the deadline.
  private func attempt<Response: RegionScopedResponse>(
    _ call: (Attempt) async throws -> Response, region: CachedRegion, peer: Metapb_Peer,
    deadline: ContinuousClock.Instant
  ) async throws -> Outcome<Response> {
    do {
      let store = try connections.stub(for: try await cache.address(ofStore: peer.storeID))
      var callOptions = CallOptions.defaults
      callOptions.timeout = min(options.attemptTimeout, deadline - ContinuousClock.now)
      callOptions.waitForReady = false
      let response = try await call(
        Attempt(store: store, context: region.context(for: peer), callOptions: callOptions))
      return response.hasRegionError ? .regionError(response.regionError) : .served(response)
    } catch let error as RPCError where error.code == .resourceExhausted {
      return .busy(error.message)
    } catch let error as RPCError
      where error.code == .unavailable || error.code == .deadlineExceeded
    {
      return .unreachable("\(error.code): \(error.message)")
    } catch let error as HostAndPortError {
      return .unreachable(error.description)
    } catch let error as SchedulerClientError {
      return .unreachable("no address: \(error)")
    }
  }

  /// Updates the cache from a region error; says whether to retry at once.
  private func learn(
    from error: Errorpb_Error, region: CachedRegion, peer: Metapb_Peer
  ) async throws -> Retry {
    let regionID = region.region.id
    if error.hasNotLeader {
      guard error.notLeader.hasLeader, error.notLeader.leader.id != 0 else {
        cache.switchPeer(regionID: regionID, awayFrom: peer)
        return .afterPause
      }
      let leader = error.notLeader.leader
      try await cache.updateLeader(regionID: regionID, leader: leader)
      // A hint naming the peer just asked would send the request in a circle.
      return leader == peer ? .afterPause : .now
    }
    if error.hasEpochNotMatch, !error.epochNotMatch.currentRegions.isEmpty {
      cache.replace(with: error.epochNotMatch.currentRegions, answeredBy: peer.storeID)
      return .now
    }
    if error.hasStaleCommand { return .now }
    if error.hasStoreNotMatch { cache.invalidateStore(peer.storeID) }
    cache.invalidate(regionID: regionID)
    return .afterPause
  }
}
