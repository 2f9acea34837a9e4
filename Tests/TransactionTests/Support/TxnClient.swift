import Foundation
import TinyKVProto

/// Tunables of a `TxnClient`.
public struct TxnClientOptions: Sendable {
  /// How long a transaction's locks live before others may roll it back, in milliseconds.
  public var lockTTL: UInt64 = 3000
  /// How many times a read or a prewrite resolves locks in its way before giving up.
  public var maxLockRetries = 100
  /// The longest pause between two attempts, in milliseconds.
  public var maxBackoffMillis = 50

  public init() {}
}

/// A Percolator client: snapshot-isolated transactions over the seven transactional RPCs.
///
/// Reads see the snapshot at the transaction's start timestamp; writes are buffered and written
/// with two-phase commit (prewrite every key with the first key as primary, then commit the
/// primary, then the others). A lock in the way is resolved through its primary: committed or
/// rolled back transactions are finished with `ResolveLock`, expired ones are rolled back by
/// `CheckTxnStatus`, live ones are waited for with backoff.
///
/// Written for one region (a standalone store): every request goes to the one `rpc`.
public final class TxnClient<RPC: TxnRPC, Oracle: TimestampOracle>: Sendable {
  public let rpc: RPC
  public let oracle: Oracle
  public let options: TxnClientOptions

  public init(rpc: RPC, oracle: Oracle, options: TxnClientOptions = TxnClientOptions()) {
    self.rpc = rpc
    self.oracle = oracle
    self.options = options
  }

  /// Starts a transaction at a fresh timestamp.
  public func begin() async throws -> Txn<RPC, Oracle> {
    Txn(client: self, startTS: try await oracle.timestamp())
  }

  /// Runs `body` in a transaction and commits it; on a retryable failure (a conflict, an abort),
  /// starts over with a new transaction, up to `attempts` times.
  public func run<T>(attempts: Int = 20, _ body: (Txn<RPC, Oracle>) async throws -> T) async throws -> T {
    var attempt = 0
    while true {
      let txn = try await begin()
      do {
        let result = try await body(txn)
        try await txn.commit()
        return result
      } catch let error as TxnClientError where error.isRetryable && attempt + 1 < attempts {
        attempt += 1
        try await backoff(attempt)
      }
    }
  }

  /// Gets `lock` out of the way: finishes its transaction if that is decided (committed or
  /// rolled back) or expired; otherwise waits a little for it to finish.
  func resolve(_ lock: Kvrpcpb_LockInfo, attempt: Int) async throws {
    var check = Kvrpcpb_CheckTxnStatusRequest()
    check.primaryKey = lock.primaryLock
    check.lockTs = lock.lockVersion
    check.currentTs = try await oracle.timestamp()
    let status = try await rpc.checkTxnStatus(check)
    try Self.checkRegion(status.hasRegionError, status.regionError)
    if status.lockTtl > 0 {
      try await backoff(attempt)
      return
    }
    var resolve = Kvrpcpb_ResolveLockRequest()
    resolve.startVersion = lock.lockVersion
    resolve.commitVersion = status.commitVersion
    let response = try await rpc.resolveLock(resolve)
    try Self.checkRegion(response.hasRegionError, response.regionError)
    if response.hasError {
      throw TxnClientError(.aborted, "resolving lock of \(lock.lockVersion): \(response.error)")
    }
  }

  func backoff(_ attempt: Int) async throws {
    let millis = min(1 << min(attempt, 10), options.maxBackoffMillis)
    try await Task.sleep(for: .milliseconds(Int.random(in: 1...max(1, millis))))
  }

  static func checkRegion(_ has: Bool, _ error: Errorpb_Error) throws {
    if has { throw TxnClientError(.region, error.message) }
  }
}

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
          throw TxnClientError(.conflict, "key written at \(error.conflict.conflictTs) after start \(startTS)")
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
