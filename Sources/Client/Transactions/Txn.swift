import Foundation
import TinyKVProto

/// One transaction of a `TxnClient`. Not thread-safe: use it from one task.
public final class Txn<RPC: TxnRPC, Oracle: TimestampOracle> {
  public let client: TxnClient<RPC, Oracle>
  public let startTS: UInt64
  /// Buffered writes, the last one per key.
  private var mutations: [Data: Kvrpcpb_Mutation] = [:]
  private var rpc: RPC { client.rpc }

  init(client: TxnClient<RPC, Oracle>, startTS: UInt64) {
    self.client = client
    self.startTS = startTS
  }

  /// The value of `key`: this transaction's own write if it has one, else the snapshot's.
  public func get(_ key: Data) async throws -> Data? {
    if let mutation = mutations[key] { return mutation.op == .put ? mutation.value : nil }
    var request = Kvrpcpb_GetRequest()
    request.key = key
    request.version = startTS
    for attempt in 0..<client.options.maxLockRetries {
      let response = try await rpc.get(request)
      try TxnClient<RPC, Oracle>.checkRegion(response.hasRegionError, response.regionError)
      guard response.hasError else { return response.notFound ? nil : response.value }
      guard response.error.hasLocked else {
        throw TxnClientError(.aborted, "get: \(response.error)")
      }
      try await client.resolve(response.error.locked, attempt: attempt)
    }
    throw TxnClientError(.tooManyRetries, "get: key stayed locked")
  }

  /// Up to `limit` pairs of the snapshot from `start` on (this transaction's own writes are not
  /// merged in).
  public func scan(from start: Data, limit: UInt32) async throws -> [(key: Data, value: Data)] {
    var request = Kvrpcpb_ScanRequest()
    request.startKey = start
    request.limit = limit
    request.version = startTS
    for attempt in 0..<client.options.maxLockRetries {
      let response = try await rpc.scan(request)
      try TxnClient<RPC, Oracle>.checkRegion(response.hasRegionError, response.regionError)
      let locked = response.pairs.filter(\.hasError)
      if locked.isEmpty { return response.pairs.map { ($0.key, $0.value) } }
      for pair in locked {
        guard pair.error.hasLocked else { throw TxnClientError(.aborted, "scan: \(pair.error)") }
        try await client.resolve(pair.error.locked, attempt: attempt)
      }
    }
    throw TxnClientError(.tooManyRetries, "scan: keys stayed locked")
  }

  /// Buffers a write of `value` to `key`.
  public func put(_ key: Data, _ value: Data) {
    var mutation = Kvrpcpb_Mutation()
    mutation.op = .put
    mutation.key = key
    mutation.value = value
    mutations[key] = mutation
  }

  /// Buffers a delete of `key`.
  public func delete(_ key: Data) {
    var mutation = Kvrpcpb_Mutation()
    mutation.op = .del
    mutation.key = key
    mutations[key] = mutation
  }

  /// The keys written, in byte order; the first is the primary.
  public var keys: [Data] { mutations.keys.sorted { $0.lexicographicallyPrecedes($1) } }

  /// Phase one: locks every written key. Resolves locks in the way, retrying.
  /// - Throws: `conflict` if a key was written since the start, `aborted` if the transaction was
  ///   rolled back, `tooManyRetries` if locks stayed in the way.
  public func prewrite() async throws {
    let keys = self.keys
    guard let primary = keys.first else { return }
    var request = Kvrpcpb_PrewriteRequest()
    request.mutations = keys.compactMap { mutations[$0] }
    request.primaryLock = primary
    request.startVersion = startTS
    request.lockTtl = client.options.lockTTL
    for attempt in 0..<client.options.maxLockRetries {
      let response = try await rpc.prewrite(request)
      try TxnClient<RPC, Oracle>.checkRegion(response.hasRegionError, response.regionError)
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

  /// Phase two, after `prewrite`: commits the primary (the decision point), then the other keys.
  /// - Returns: the commit timestamp.
  /// - Throws: `aborted` if the transaction was rolled back before its primary committed,
  ///   `undetermined` if the primary's commit got no answer.
  @discardableResult
  public func commitPrewritten() async throws -> UInt64 {
    let keys = self.keys
    guard let primary = keys.first else { return startTS }
    let commitTS = try await client.oracle.timestamp()
    var request = Kvrpcpb_CommitRequest()
    request.startVersion = startTS
    request.commitVersion = commitTS
    request.keys = [primary]
    let response: Kvrpcpb_CommitResponse
    do {
      response = try await rpc.commit(request)
    } catch {
      throw TxnClientError(.undetermined, "commit of primary: \(error)")
    }
    try TxnClient<RPC, Oracle>.checkRegion(response.hasRegionError, response.regionError)
    if response.hasError {
      // No commit record and no lock of ours on the primary: we were rolled back.
      throw TxnClientError(.aborted, "commit of primary: \(response.error)")
    }
    // Decided. Secondaries left locked are committed by whoever meets them.
    if keys.count > 1 {
      request.keys = Array(keys.dropFirst())
      _ = try? await rpc.commit(request)
    }
    return commitTS
  }

  /// Prewrites and commits the buffered writes.
  /// - Returns: the commit timestamp (the start timestamp for a read-only transaction).
  @discardableResult
  public func commit() async throws -> UInt64 {
    try await prewrite()
    return try await commitPrewritten()
  }

  /// Rolls back whatever a prewrite left.
  public func rollback() async throws {
    guard !mutations.isEmpty else { return }
    var request = Kvrpcpb_BatchRollbackRequest()
    request.startVersion = startTS
    request.keys = keys
    let response = try await rpc.batchRollback(request)
    try TxnClient<RPC, Oracle>.checkRegion(response.hasRegionError, response.regionError)
    if response.hasError { throw TxnClientError(.aborted, "rollback: \(response.error)") }
  }
}
