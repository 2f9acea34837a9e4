import Foundation
import TinyKVProto

/// Percolator's two phases over a transaction's buffered writes, one group of keys (one
/// region) at a time, so that groups run in parallel: a `Sendable` snapshot of a `Txn`.
struct TwoPhaseCommit<Router: TxnRouting, Oracle: TimestampOracle>: Sendable {
  let client: TxnClient<Router, Oracle>
  let startTS: UInt64
  /// The first key in byte order; nil when nothing was written.
  let primary: Data?
  let mutations: [Data: Kvrpcpb_Mutation]

  private var router: Router { client.router }

  /// Prewrites `keys` (sorted): the primary's group first, then the others in parallel.
  func prewrite(_ keys: [Data]) async throws {
    guard let primary else { return }
    let groups = try await router.group(keys)
    let isPrimary = { (group: Router.KeyGroup) in group.keys.contains(primary) }
    try await router.forEach(groups.filter(isPrimary)) { try await prewrite(group: $0) }
    try await router.forEach(groups.filter { !isPrimary($0) }) { try await prewrite(group: $0) }
  }

  /// Locks `group`'s keys, resolving locks in the way.
  private func prewrite(group: Router.KeyGroup) async throws {
    guard let primary else { return }
    var request = Kvrpcpb_PrewriteRequest()
    request.mutations = group.keys.compactMap { mutations[$0] }
    request.primaryLock = primary
    request.startVersion = startTS
    request.lockTtl = client.options.lockTTL
    for attempt in 0..<client.options.maxLockRetries {
      let response = try await router.prewrite(request, to: group)
      try TxnClient<Router, Oracle>.checkRegion(response.hasRegionError, response.regionError)
      if response.errors.isEmpty { return }
      // A prewrite with errors wrote nothing, so there is nothing to roll back.
      for error in response.errors where !error.hasLocked {
        if error.hasConflict {
          throw TxnClientError(
            .conflict, "key written at \(error.conflict.conflictTs) after start \(startTS)")
        }
        throw TxnClientError(.aborted, "prewrite: \(error)")
      }
      for error in response.errors { try await client.resolve(error.locked, attempt: attempt) }
    }
    throw TxnClientError(.tooManyRetries, "prewrite: keys stayed locked")
  }

  /// Commits the primary, then the other `keys` (sorted) by group in parallel; their failures
  /// are left to whoever meets their locks.
  /// - Returns: the commit timestamp.
  func commit(_ keys: [Data]) async throws -> UInt64 {
    guard let primary else { return startTS }
    let commitTS = try await client.oracle.timestamp()
    var request = Kvrpcpb_CommitRequest()
    request.startVersion = startTS
    request.commitVersion = commitTS
    let primaryGroups = try await router.group([primary])
    do {
      try await router.forEach(primaryGroups) { [request] group in
        var request = request
        request.keys = group.keys
        let response: Kvrpcpb_CommitResponse
        do {
          response = try await router.commit(request, to: group)
        } catch let error as RegionChangedError {
          throw error
        } catch {
          throw TxnClientError(.undetermined, "commit of primary: \(error)")
        }
        try TxnClient<Router, Oracle>.checkRegion(response.hasRegionError, response.regionError)
        if response.hasError {
          // No commit record and no lock of ours on the primary: we were rolled back.
          throw TxnClientError(.aborted, "commit of primary: \(response.error)")
        }
      }
    } catch let error as TxnClientError {
      throw error
    } catch {
      throw TxnClientError(.undetermined, "commit of primary: \(error)")
    }
    // Decided. Secondaries left locked are committed by whoever meets them.
    let secondaries = Array(keys.dropFirst())
    if !secondaries.isEmpty, let groups = try? await router.group(secondaries) {
      try? await router.forEach(groups) { [request] group in
        var request = request
        request.keys = group.keys
        _ = try await router.commit(request, to: group)
      }
    }
    return commitTS
  }

  /// Rolls back `keys` by group, in parallel.
  /// - Throws: `aborted` if a key was already committed.
  func rollback(_ keys: [Data]) async throws {
    guard !keys.isEmpty else { return }
    var request = Kvrpcpb_BatchRollbackRequest()
    request.startVersion = startTS
    try await router.forEach(try await router.group(keys)) { [request] group in
      var request = request
      request.keys = group.keys
      let response = try await router.batchRollback(request, to: group)
      try TxnClient<Router, Oracle>.checkRegion(response.hasRegionError, response.regionError)
      if response.hasError { throw TxnClientError(.aborted, "rollback: \(response.error)") }
    }
  }
}
