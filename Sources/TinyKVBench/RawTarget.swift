import ArgumentParser
import Client
import Foundation

/// Where the raw-API workloads (`raw`, `ycsb`) send their requests: one store (`--addr`) or a
/// whole cluster through its scheduler (`--scheduler`).
struct RawTarget: ParsableArguments {
  @Option(
    help: """
      Address of the scheduler (host:port): route each request to the leader of its key's \
      region across the cluster instead of to one store (--addr). In a cluster a get is a \
      linearizable read (ReadIndex on the leader).
      """)
  var scheduler: String?

  @Option(help: "Column family to use.")
  var cf = "default"

  @Flag(
    inversion: .prefixedNo,
    help: """
      With --scheduler, number raw writes in a write session, as the client does by default \
      (exactly once: a resend is answered from the region's session table, docs/CLIENT.md); \
      --no-write-sessions measures without.
      """)
  var writeSessions = true

  @Flag(
    inversion: .prefixedNo,
    help: """
      With --scheduler, send requests on one BatchCommands stream per store, as the client \
      does by default; --no-batch-commands sends one unary call each.
      """)
  var batchCommands = true

  /// Throws unless exactly one kind of target is named; call from the command's `validate()`.
  func validate(with options: LoadOptions) throws {
    guard let scheduler else { return }
    guard options.addr == nil else {
      throw ValidationError(
        "--addr and --scheduler exclude each other: give the one store or the scheduler")
    }
    do { _ = try HostAndPort(parsing: scheduler) } catch {
      throw ValidationError("--scheduler: \(error)")
    }
  }

  /// What is measured: the clients and the cluster's layout show up in the report.
  func describe(_ options: LoadOptions) -> String {
    let target = scheduler.map { "cluster via scheduler \($0)" } ?? "store \(options.endpoint)"
    let sessions = scheduler != nil && !writeSessions ? ", writes without sessions" : ""
    let unary = scheduler != nil && !batchCommands ? ", unary calls" : ""
    return "\(target), \(options.connections) connection(s), cf \(cf)\(sessions)\(unary)"
  }

  /// Opens `options.connections` clients to the target, runs `measurement` on them, prints its
  /// result (and writes it as JSON with `--json`), and closes the clients. With
  /// `transactional`, each operation is a transaction (``TxnKeyValue``) through a
  /// `ClusterTxnClient` (`--scheduler`, timestamps from the TSO) or a `TxnClient` of the one
  /// store (timestamps from a local clock).
  /// - Throws: if the clients cannot connect, or `ExitCode.failure` if every operation failed.
  func run(
    _ measurement: some RawMeasurement, options: LoadOptions, parameters: [String: String],
    transactional: Bool = false
  ) async throws {
    let result: LoadResult
    var routing = RoutingOptions()
    routing.writeSessions = writeSessions
    routing.batchCommands = batchCommands
    switch (scheduler, transactional) {
    case (let scheduler?, false):
      // validate(with:) has parsed it already.
      result = try await ClientPool.connect(
        to: try HostAndPort(parsing: scheduler), count: options.connections,
        with: { endpoint, body in
          try await ClusterRawClient.connect(scheduler: endpoint, options: routing, body)
        }
      ) { pool in await measurement.measure(pool) }
    case (nil, false):
      result = try await ClientPool.connect(
        to: options.endpoint, count: options.connections, with: RawKVClient.connect
      ) { pool in await measurement.measure(pool) }
    case (let scheduler?, true):
      result = try await ClientPool.connect(
        to: try HostAndPort(parsing: scheduler), count: options.connections,
        with: { endpoint, body in
          try await ClusterTxnClient.connect(scheduler: endpoint, options: routing) {
            try await body(TxnKeyValue(client: $0))
          }
        }
      ) { pool in await measurement.measure(pool) }
    case (nil, true):
      let clock = HybridClock()
      result = try await ClientPool.connect(
        to: options.endpoint, count: options.connections,
        with: { endpoint, body in
          try await GRPCTxnRPC.connect(to: endpoint) {
            try await body(TxnKeyValue(client: TxnClient(rpc: $0, oracle: clock)))
          }
        }
      ) { pool in await measurement.measure(pool) }
    }
    print(result.report())
    if let path = options.json {
      let common = [
        "keys": "\(options.keys)", "valueSize": "\(options.valueSize)",
        "keySize": "\(options.keySize)", "connections": "\(options.connections)", "cf": cf,
        "target": scheduler.map { "scheduler \($0)" } ?? "store \(options.endpoint)",
        "api": transactional ? "txn" : "raw", "writeSessions": "\(writeSessions)",
        "batchCommands": "\(batchCommands)",
      ]
      try result.json(extra: common.merging(parameters) { $1 })
        .write(to: URL(fileURLWithPath: path))
    }
    if result.errors > 0 && result.operations == 0 { throw ExitCode.failure }
  }
}

/// A workload over the raw API, runnable against one store or a cluster.
protocol RawMeasurement: Sendable {
  /// Runs the workload on the pool's clients.
  func measure<Client: RawKeyValueClient>(_ pool: ClientPool<Client>) async -> LoadResult
}
