import Foundation
import GRPCCore
import TinyKVProto

/// Sends a request to the store leading the region that holds a key, and retries it there or
/// elsewhere until it is served or its deadline passes (TiKV client-go's `RegionRequestSender`).
///
/// Each attempt locates the key's region in the `RegionCache`, addresses the request to the
/// region's leader (or a guess among its peers) with a filled `Kvrpcpb_Context`, and sends it on
/// that store's connection. Then:
/// - `NotLeader` naming the leader: the cache learns it and the request follows at once, unless
///   that leader's store failed in this request already (then after a pause: an election is
///   on); without a leader, the next peer is asked after a pause.
/// - `EpochNotMatch` with the store's current regions (after a split): they replace the cached
///   ones and the request is re-routed at once; `StaleCommand` (the command can never apply) is
///   retried at once.
/// - `KeyNotInRegion`, `RegionNotFound`, `StoreNotMatch`, an epoch error without regions, or an
///   unknown region error: the region is dropped from the cache and looked up again after a
///   pause.
/// - A request that was **not sent** (no address, no connection, the channel not ready): the
///   store's address is forgotten and the next peer is tried, at once unless it too failed in
///   this request.
/// - An attempt whose **outcome is unknown** (the request went out and the connection was lost
///   or the attempt timed out, or the store answered `UndeterminedResult`) follows the request's
///   `ResendRule`: reads and transactional RPCs are resent as above; a raw write in a session is
///   resent marked as a resend (the region answers it from its session table if it applied it);
///   a raw write without a session ends with `KVClientError.undetermined`, and so does one the
///   region can no longer check (its session unknown there).
/// - A busy store (gRPC `RESOURCE_EXHAUSTED`; TinyKV's errorpb has no `ServerIsBusy`): a pause.
///
/// Pauses grow exponentially with jitter. Other gRPC errors end the request at once. See
/// docs/CLIENT.md, "Errors", for the whole table.
///
/// A request may instead be addressed to a region as the caller found it (a group of keys of
/// one region, as a transactional client batches them): it then follows the region's leader
/// and rides out busy or unreachable stores the same way, but once the region's epoch changes
/// or it leaves the cache, `RegionChangedError` tells the caller to regroup its keys.
///
/// The router is generic over the RPC, so the raw client and a transactional client share it;
/// a transactional client routes by `memcomparable(user key)`, the key space regions split in.
package struct RegionRequestSender: Sendable {
  /// Where one attempt goes: the store's channel, the request's context, the call's options
  /// (timeout, fail fast when the store is unreachable) and its deadline.
  struct Attempt: Sendable {
    let channel: StoreChannel
    let context: Kvrpcpb_Context
    let callOptions: CallOptions
    let deadline: ContinuousClock.Instant
  }

  /// What a request is addressed to.
  enum Destination {
    /// The region holding this key, whatever it is by now.
    case key(Data)
    /// This region at this epoch.
    case region(CachedRegion)
  }

  /// How one attempt ended.
  enum Outcome<Response> {
    case served(Response)
    case regionError(Errorpb_Error)
    /// The store refused the request for now (`RESOURCE_EXHAUSTED`).
    case busy(String)
    /// Nothing reached the store: its address is unknown or no connection to it was ready.
    case notSent(String)
    /// The request went out and no answer came (connection lost, attempt timed out): it may or
    /// may not have been served.
    case ambiguous(String)
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

  /// Sends `request` to the leader of the region holding `key`, its context filled for each
  /// attempt, retrying as described above.
  /// - Parameters:
  ///   - operation: the request's name for errors (`raw put`).
  ///   - resend: what may follow an attempt of unknown outcome.
  /// - Returns: the first response without a region error, and the region it was served by.
  /// - Throws: `KVClientError.unroutable` when the deadline passes; `KVClientError.undetermined`
  ///   for a write that cannot be resent; gRPC errors other than unreachable, timed out or busy
  ///   stores at once; the directory's errors.
  package func send<Command: StoreCommand>(
    _ operation: String, key: Data, _ request: Command, resend: ResendRule = .idempotent
  ) async throws -> (response: Command.Response, region: Metapb_Region) {
    try await route(operation, to: .key(key), filling: request, resend: resend)
  }

  /// Sends `request` to the leader of `region` (as the caller found it in the cache), its
  /// context filled for each attempt.
  /// - Returns: the first response without a region error.
  /// - Throws: `RegionChangedError` once the region's epoch changed or it left the cache (the
  ///   caller regroups its keys); otherwise as `send(_:key:_:resend:)`.
  package func send<Command: StoreCommand>(
    _ operation: String, region: CachedRegion, _ request: Command
  ) async throws -> Command.Response {
    try await route(operation, to: .region(region), filling: request, resend: .idempotent)
      .response
  }

  /// Routes `request`, filling its context for each attempt.
  private func route<Command: StoreCommand>(
    _ operation: String, to destination: Destination, filling request: Command,
    resend: ResendRule
  ) async throws -> (response: Command.Response, region: Metapb_Region) {
    try await route(operation, to: destination, resend: resend, timeouts: Command.timeouts(options))
    {
      attempt in
      var request = request
      request.context = attempt.context
      return try await attempt.channel.call(
        request, options: attempt.callOptions, deadline: attempt.deadline)
    }
  }

  /// The retry loop: one attempt after another until one is served or the deadline passes.
  private func route<Response: RegionScopedResponse>(
    _ operation: String, to destination: Destination, resend: ResendRule,
    timeouts: (request: Duration, attempt: Duration),
    _ call: (Attempt) async throws -> Response
  ) async throws -> (response: Response, region: Metapb_Region) {
    let clock = ContinuousClock()
    let start = clock.now
    let deadline = start + timeouts.request
    var backoffer = Backoffer(options.backoff)
    var attempts = 0
    var lastRegionError: Errorpb_Error?
    var lastProblem = "no attempt was made"
    var failedStores: Set<UInt64> = []
    var outcomeUnknown = false
    func failure() -> RoutingFailure {
      RoutingFailure(
        operation: operation, key: destination.key, attempts: attempts,
        elapsed: clock.now - start, lastRegionError: lastRegionError, lastProblem: lastProblem)
    }

    while clock.now < deadline {
      guard let region = try await current(destination), let peer = region.target else {
        lastProblem = "the directory knows no region with peers holding the key"
        try await backoffer.pause(until: deadline)
        continue
      }
      attempts += 1
      let retry: Retry
      let context = attemptContext(region: region, peer: peer, resend: resend, outcomeUnknown)
      switch try await attempt(
        call, context: context, peer: peer, timeout: timeouts.attempt, deadline: deadline)
      {
      case .served(let response):
        return (response, region.region)
      case .regionError(let error) where error.hasUndeterminedResult:
        lastRegionError = error
        lastProblem = "store \(peer.storeID) answered \(error.summary)"
        outcomeUnknown = true
        // The store is up but lost track of the command (a timeout, its peer removed).
        guard resend.allowsResend(after: error) else { throw KVClientError.undetermined(failure()) }
        cache.invalidate(regionID: region.region.id)
        retry = .afterPause
      case .regionError(let error):
        lastRegionError = error
        lastProblem = "store \(peer.storeID) answered \(error.summary)"
        retry = try await learn(from: error, region: region, peer: peer, failedStores)
      case .busy(let message):
        lastProblem = "store \(peer.storeID) is busy: \(message)"
        retry = .afterPause
      case .notSent(let reason):
        lastProblem = "store \(peer.storeID) is unreachable: \(reason)"
        retry = leave(peer, of: region, &failedStores)
      case .ambiguous(let reason):
        lastProblem = "store \(peer.storeID) did not answer: \(reason)"
        outcomeUnknown = true
        if case .never = resend { throw KVClientError.undetermined(failure()) }
        retry = leave(peer, of: region, &failedStores)
      }
      if retry == .afterPause { try await backoffer.pause(until: deadline) }
    }
    throw outcomeUnknown && !resend.isIdempotent
      ? KVClientError.undetermined(failure()) : KVClientError.unroutable(failure())
  }

  /// Forgets the address of `peer`'s store, which failed this request, and moves the region's
  /// target to its next peer: at once if that one has not failed in this request yet.
  private func leave(
    _ peer: Metapb_Peer, of region: CachedRegion, _ failedStores: inout Set<UInt64>
  ) -> Retry {
    failedStores.insert(peer.storeID)
    cache.invalidateStore(peer.storeID)
    let next = cache.switchPeer(regionID: region.region.id, awayFrom: peer)
    return next.map { !failedStores.contains($0.storeID) } ?? false ? .now : .afterPause
  }
}

extension ResendRule {
  var isIdempotent: Bool {
    if case .idempotent = self { return true }
    return false
  }

  /// Whether a request answered `undetermined` may be sent again: not a write without a
  /// session, nor one whose region no longer knows its session.
  func allowsResend(after error: Errorpb_Error) -> Bool {
    switch self {
    case .idempotent: true
    case .session: !error.undeterminedResult.sessionUnknown
    case .never: false
    }
  }
}
