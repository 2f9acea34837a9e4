import Client
import Foundation
import Storage
import TinyKVProto
import Transaction

/// A cluster transactional client as the tests use it.
typealias TestTxnClient = TxnClient<ClusterTxnRouter, HybridClock>

extension FakeCluster {
  /// Starts a fake cluster and runs `body` with it, a transactional client of it (default
  /// options) and the client's clock.
  static func runWithTxnClient(
    _ body: (FakeCluster, TestTxnClient, HybridClock) async throws -> Void
  ) async throws {
    try await run { cluster in
      let clock = HybridClock()
      try await cluster.withTxnClient(clock: clock) { try await body(cluster, $0, clock) }
    }
  }

  /// Runs `body` with a transactional client of this cluster (a fresh region cache), timestamps
  /// from `clock` (share one between clients of a test: it is unique per instance).
  func withTxnClient<T: Sendable>(
    clock: HybridClock, options: TxnClientOptions = TxnClientOptions(),
    _ body: (TestTxnClient) async throws -> T
  ) async throws -> T {
    try await ClusterTxnClient.connect(
      directory: directory, oracle: clock, options: .fast, txnOptions: options, body)
  }

  /// The keys locked right now, whatever transaction holds them (read through the stores'
  /// handler, not the client).
  func lockedKeys(_ keys: [String]) async throws -> [String] {
    var locked: [String] = []
    for key in keys {
      var request = Kvrpcpb_GetRequest()
      request.key = bytes(key)
      request.version = UInt64.max >> 1
      if try await transactions.get(request).error.hasLocked { locked.append(key) }
    }
    return locked
  }

  /// How many transactional requests of `kind` store `id` served.
  func served(_ kind: String, by id: UInt64) -> Int {
    store(id).state.withLock { $0.transactionalRequests[kind, default: 0] }
  }
}

extension TxnClientOptions {
  /// Few lock retries and short pauses, so a test meeting a live lock ends quickly.
  static func impatient(lockTTL: UInt64 = 3000) -> TxnClientOptions {
    var options = TxnClientOptions()
    options.lockTTL = lockTTL
    options.maxLockRetries = 5
    options.maxBackoffMillis = 5
    return options
  }
}
