import Foundation
import GRPCCore
import TinyKVProto

/// One attempt of a routed request, and what its failure teaches the cache.
extension RegionRequestSender {
  /// The region to send to now: the one holding the key, or the caller's region while it is
  /// cached at the same epoch.
  /// - Throws: `RegionChangedError` when the caller's region changed.
  func current(_ destination: Destination) async throws -> CachedRegion? {
    switch destination {
    case .key(let key):
      return try await cache.locate(key)
    case .region(let grouped):
      guard let current = cache.cachedRegion(id: grouped.region.id),
        current.region.regionEpoch == grouped.region.regionEpoch
      else { throw RegionChangedError(regionID: grouped.region.id) }
      return current
    }
  }

  /// The context of an attempt at `peer` of `region`: its address, and for a session write
  /// the session, marked as a resend once an earlier attempt's outcome is unknown.
  func attemptContext(
    region: CachedRegion, peer: Metapb_Peer, resend: ResendRule, _ outcomeUnknown: Bool
  ) -> Kvrpcpb_Context {
    var context = region.context(for: peer)
    if case .session(let session, let sequence) = resend {
      context.writeSession = session.context(for: sequence, resend: outcomeUnknown)
    }
    return context
  }

  /// One RPC to `peer` with `context`, timed out after `timeout` or at the deadline.
  func attempt<Response: RegionScopedResponse>(
    _ call: (Attempt) async throws -> Response, context: Kvrpcpb_Context, peer: Metapb_Peer,
    timeout: Duration, deadline: ContinuousClock.Instant
  ) async throws -> Outcome<Response> {
    let mark = DispatchMark()
    do {
      let channel = try connections.channel(for: try await cache.address(ofStore: peer.storeID))
      let now = ContinuousClock.now
      let attemptDeadline = min(now + timeout, deadline)
      var callOptions = CallOptions.defaults
      callOptions.timeout = attemptDeadline - now
      callOptions.waitForReady = false
      let response = try await DispatchMark.$current.withValue(mark) {
        try await call(
          Attempt(
            channel: channel, context: context, callOptions: callOptions,
            deadline: attemptDeadline))
      }
      return response.hasRegionError ? .regionError(response.regionError) : .served(response)
    } catch let error as BatchStreamError {
      switch error {
      case .notSent(let reason): return .notSent(reason)
      case .outcomeUnknown(let reason): return .ambiguous(reason)
      }
    } catch let error as RPCError where error.code == .resourceExhausted {
      return .busy(error.message)
    } catch let error as RPCError
      where [.unavailable, .deadlineExceeded, .unknown].contains(error.code)
    {
      let reason = "\(error.code): \(error.message)"
      if mark.streamOpened { return .ambiguous(reason) }
      // `unknown` before the stream existed is not about the store.
      guard error.code != .unknown else { throw error }
      return .notSent(reason)
    } catch let error as HostAndPortError {
      return .notSent(error.description)
    } catch let error as SchedulerClientError {
      return .notSent("no address: \(error)")
    }
  }

  /// Updates the cache from a region error; says whether to retry at once. `failedStores` are
  /// the stores this request could not reach or got no answer from.
  func learn(
    from error: Errorpb_Error, region: CachedRegion, peer: Metapb_Peer,
    _ failedStores: Set<UInt64>
  ) async throws -> Retry {
    let regionID = region.region.id
    if error.hasNotLeader {
      guard error.notLeader.hasLeader, error.notLeader.leader.id != 0 else {
        cache.switchPeer(regionID: regionID, awayFrom: peer)
        return .afterPause
      }
      let leader = error.notLeader.leader
      try await cache.updateLeader(regionID: regionID, leader: leader)
      // A hint naming the peer just asked would send the request in a circle; one naming a
      // store that just failed us is a follower's stale belief (an election is likely on):
      // following it at once would alternate between the two without a pause.
      return leader == peer || failedStores.contains(leader.storeID) ? .afterPause : .now
    }
    if error.hasEpochNotMatch, !error.epochNotMatch.currentRegions.isEmpty {
      cache.replace(with: error.epochNotMatch.currentRegions, answeredBy: peer.storeID)
      // Regions no newer than the cache's (a store behind the others) teach nothing: the
      // region is then looked up again below, after a pause, instead of going in a circle.
      let learned = cache.cachedRegion(id: regionID)?.region.regionEpoch
      if learned != region.region.regionEpoch { return .now }
    }
    if error.hasStaleCommand { return .now }
    if error.hasStoreNotMatch { cache.invalidateStore(peer.storeID) }
    cache.invalidate(regionID: regionID)
    return .afterPause
  }
}

extension RegionRequestSender.Destination {
  /// The key a failure report names: the key, or the region's start key.
  var key: Data {
    switch self {
    case .key(let key): key
    case .region(let region): region.region.startKey
    }
  }
}
