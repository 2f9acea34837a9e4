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
/// Generic over how requests reach the stores: a `TxnRPC` sends them all to one store (a
/// standalone server), a `ClusterTxnRouter` routes them across a cluster's regions (use
/// `ClusterTxnClient.connect`); multi-key requests go per region, in parallel.
public final class TxnClient<Router: TxnRouting, Oracle: TimestampOracle>: Sendable {
  public let router: Router
  public let oracle: Oracle
  public let options: TxnClientOptions

  /// A client sending its requests through `router`, timestamps from `oracle`.
  public init(router: Router, oracle: Oracle, options: TxnClientOptions = TxnClientOptions()) {
    self.router = router
    self.oracle = oracle
    self.options = options
  }

  /// A client of the one store behind `rpc`.
  public convenience init(
    rpc: Router, oracle: Oracle, options: TxnClientOptions = TxnClientOptions()
  ) where Router: TxnRPC {
    self.init(router: rpc, oracle: oracle, options: options)
  }

  /// Starts a transaction at a fresh timestamp.
  public func begin() async throws -> Txn<Router, Oracle> {
    Txn(client: self, startTS: try await oracle.timestamp())
  }

  /// Runs `body` in a transaction and commits it; on a retryable failure (a conflict, an abort),
  /// starts over with a new transaction, up to `attempts` times.
  public func run<T>(attempts: Int = 20, _ body: (Txn<Router, Oracle>) async throws -> T)
    async throws
    -> T
  {
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
  /// rolled back) or expired; otherwise waits a little for it to finish. The status is asked
  /// of the primary's region; the locks are resolved in `lock.key`'s region (the others of the
  /// transaction there too; those elsewhere when someone meets them).
  func resolve(_ lock: Kvrpcpb_LockInfo, attempt: Int) async throws {
    var check = Kvrpcpb_CheckTxnStatusRequest()
    check.primaryKey = lock.primaryLock
    check.lockTs = lock.lockVersion
    check.currentTs = try await oracle.timestamp()
    let status = try await router.checkTxnStatus(check)
    try Self.checkRegion(status.hasRegionError, status.regionError)
    if status.lockTtl > 0 {
      try await backoff(attempt)
      return
    }
    var resolve = Kvrpcpb_ResolveLockRequest()
    resolve.startVersion = lock.lockVersion
    resolve.commitVersion = status.commitVersion
    let response = try await router.resolveLock(resolve, forKey: lock.key)
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
