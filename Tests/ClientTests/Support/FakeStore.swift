import Foundation
import GRPCCore
import Synchronization
import TinyKVProto

/// One store's state for the routing tests: the regions it holds a replica of, who it believes
/// leads each, its data, and scripted answers; it checks each request's context the way a TinyKV
/// store does (region, leader, epoch, key range, in that order).
final class FakeStore: Sendable {
  /// A replica of a region on this store, and the leader as this store knows it.
  struct Replica {
    var region: Metapb_Region
    var leader: Metapb_Peer?
  }

  /// An answer given before any check, for the next request.
  enum ScriptedAnswer {
    case regionError(Errorpb_Error)
    /// `RESOURCE_EXHAUSTED`: the store is busy.
    case busy
    /// No answer until `releaseStalls()` (a hung store), then the checks as usual.
    case stall
    /// The checks as usual and the request served, then no answer until `releaseStalls()` (a
    /// store that applied a write and died before answering).
    case serveThenStall
  }

  struct State {
    var replicas: [UInt64: Replica] = [:]
    var data: [Data: Data] = [:]
    var script: [ScriptedAnswer] = []
    /// Set once stalled requests may go on.
    var stallsReleased = false
    /// Requests received, whatever the answer.
    var requests = 0
    /// Requests served, as (region id, key).
    var served: [(region: UInt64, key: Data)] = []
    /// The write sessions of the requests received, in order.
    var writeSessions: [Kvrpcpb_WriteSession] = []
    /// Set by `serveThenStall` for the request being served.
    var stallAfterServing = false
    /// Transactional requests served, by kind (`prewrite`, `resolve lock`...).
    var transactionalRequests: [String: Int] = [:]
    /// Run once, after the next transactional request of that kind is served.
    var afterServing: [String: @Sendable () -> Void] = [:]
  }

  let id: UInt64
  let state = Mutex(State())

  init(id: UInt64) { self.id = id }

  var requests: Int { state.withLock { $0.requests } }
  var served: [(region: UInt64, key: Data)] { state.withLock { $0.served } }
  var writeSessions: [Kvrpcpb_WriteSession] { state.withLock { $0.writeSessions } }

  /// Waits until `releaseStalls()`.
  private func stall() async throws {
    while !state.withLock({ $0.stallsReleased }) { try await Task.sleep(for: .milliseconds(10)) }
  }

  /// After serving a request: stalls if `serveThenStall` was scripted for it.
  func stallIfScripted() async throws {
    let stalls = state.withLock { state in
      defer { state.stallAfterServing = false }
      return state.stallAfterServing
    }
    if stalls { try await stall() }
  }

  /// Lets stalled requests go on, and later ones pass without stalling.
  func releaseStalls() { state.withLock { $0.stallsReleased = true } }

  /// Runs `action` once, after this store next serves a transactional request of `kind`.
  func afterServing(_ kind: String, _ action: @escaping @Sendable () -> Void) {
    state.withLock { $0.afterServing[kind] = action }
  }

  /// Queues answers for the next requests.
  func script(_ answers: ScriptedAnswer...) { state.withLock { $0.script += answers } }

  /// Answers the next scripted answer, if any, else checks a request for `key` addressed by
  /// `context` as a TinyKV store does.
  /// - Returns: the region error to answer, or nil if the request is to be served.
  /// - Throws: `RESOURCE_EXHAUSTED` when a busy answer is scripted.
  func admit(_ context: Kvrpcpb_Context, key: Data) async throws -> Errorpb_Error? {
    try await admit(context, keys: [key])
  }

  /// As `admit(_:key:)` for a request of several keys: each must lie in the region (no key: the
  /// region's own requests, as ResolveLock).
  func admit(_ context: Kvrpcpb_Context, keys: [Data]) async throws -> Errorpb_Error? {
    let scripted = state.withLock { state -> ScriptedAnswer? in
      state.requests += 1
      if context.hasWriteSession { state.writeSessions.append(context.writeSession) }
      return state.script.isEmpty ? nil : state.script.removeFirst()
    }
    switch scripted {
    case .regionError(let error): return error
    case .busy: throw RPCError(code: .resourceExhausted, message: "store \(id) is busy")
    case .stall: try await stall()
    case .serveThenStall: state.withLock { $0.stallAfterServing = true }
    case nil: break
    }
    return check(context, keys: keys)
  }

  /// The region error a TinyKV store answers for `key` addressed by `context`, or nil after
  /// recording the request as served.
  private func check(_ context: Kvrpcpb_Context, keys: [Data]) -> Errorpb_Error? {
    state.withLock { state in
      var error = Errorpb_Error()
      guard let replica = state.replicas[context.regionID] else {
        error.regionNotFound.regionID = context.regionID
        return error
      }
      guard replica.leader?.storeID == id else {
        error.notLeader.regionID = context.regionID
        if let leader = replica.leader { error.notLeader.leader = leader }
        return error
      }
      guard context.regionEpoch == replica.region.regionEpoch else {
        error.epochNotMatch.currentRegions = state.replicas.values.map(\.region)
        return error
      }
      if let key = keys.first(where: { !replica.region.holds($0) }) {
        error.keyNotInRegion.key = key
        error.keyNotInRegion.regionID = context.regionID
        error.keyNotInRegion.startKey = replica.region.startKey
        error.keyNotInRegion.endKey = replica.region.endKey
        return error
      }
      state.served.append((context.regionID, keys.first ?? replica.region.startKey))
      return nil
    }
  }

  /// Up to `limit` pairs from `start` to the end of region `regionID`.
  func scan(region regionID: UInt64, from start: Data, limit: Int) -> [Kvrpcpb_KvPair] {
    state.withLock { state in
      guard let region = state.replicas[regionID]?.region else { return [] }
      return state.data.keys.filter { region.holds($0) && !$0.lexicographicallyPrecedes(start) }
        .sorted { $0.lexicographicallyPrecedes($1) }.prefix(limit).map { key in
          var pair = Kvrpcpb_KvPair()
          pair.key = key
          pair.value = state.data[key] ?? Data()
          return pair
        }
    }
  }
}

extension Metapb_Region {
  /// Whether `key` lies in the region's range.
  func holds(_ key: Data) -> Bool {
    !key.lexicographicallyPrecedes(startKey)
      && (endKey.isEmpty || key.lexicographicallyPrecedes(endKey))
  }
}
