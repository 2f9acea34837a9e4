import Foundation

/// Transactions across a cluster: a `TxnClient` whose requests are routed to the regions
/// holding their keys, with timestamps from the scheduler's TSO.
///
/// ```swift
/// try await ClusterTxnClient.connect(scheduler: HostAndPort(parsing: "127.0.0.1:2379")) { db in
///   try await db.run { txn in
///     let balance = try await txn.get(Data("alice".utf8))
///     txn.put(Data("alice".utf8), Data("90".utf8))
///     txn.put(Data("bob".utf8), Data("110".utf8))   // another region: still atomic
///   }
/// }
/// ```
/// See docs/CLIENT.md, "Transactions".
public enum ClusterTxnClient {
  /// Connects to the scheduler at `scheduler`, runs `body` with a transactional client routing
  /// through it and taking timestamps from its TSO, and closes every connection when `body`
  /// returns or throws.
  public static func connect<Result: Sendable>(
    scheduler: HostAndPort, options: RoutingOptions = RoutingOptions(),
    txnOptions: TxnClientOptions = TxnClientOptions(),
    _ body: (TxnClient<ClusterTxnRouter, SchedulerClient>) async throws -> Result
  ) async throws -> Result {
    try await SchedulerClient.connect(to: scheduler) { scheduler in
      try await connect(
        directory: scheduler, oracle: scheduler, options: options, txnOptions: txnOptions, body)
    }
  }

  /// Runs `body` with a transactional client that finds regions in `directory` and takes
  /// timestamps from `oracle`, and closes the store connections when `body` returns or throws.
  public static func connect<Oracle: TimestampOracle, Result: Sendable>(
    directory: any RegionDirectory, oracle: Oracle, options: RoutingOptions = RoutingOptions(),
    txnOptions: TxnClientOptions = TxnClientOptions(),
    _ body: (TxnClient<ClusterTxnRouter, Oracle>) async throws -> Result
  ) async throws -> Result {
    try await StoreConnections.with(batched: options.batchCommands) { connections in
      let sender = RegionRequestSender(
        cache: RegionCache(directory: directory), connections: connections, options: options)
      return try await body(
        TxnClient(router: ClusterTxnRouter(sender: sender), oracle: oracle, options: txnOptions))
    }
  }
}

/// The scheduler's TSO: timestamps unique and increasing across the cluster.
extension SchedulerClient: TimestampOracle {}
