import ArgumentParser
import Client
import Foundation

/// `tinykv-bench txn WORKLOAD`: Percolator transactions under load.
///
/// Every operation is one read-write transaction: read N random keys at the start timestamp,
/// write a new value to each, prewrite and commit (two round trips, two synced writes on the
/// store). A conflict or abort retries the whole transaction (up to 20 times) inside the same
/// operation, so the latency includes retries. With `--scheduler` transactions are routed across
/// the cluster's regions (`ClusterTxnClient`) with timestamps from the scheduler's TSO; else
/// they go to one store (`--addr`) with timestamps from a local hybrid clock.
struct TxnBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "txn",
    abstract: "Transactional workloads: rw1 (1-key read-write txns), rw4 (4-key read-write txns).")

  enum Workload: String, ExpressibleByArgument, CaseIterable, Sendable {
    case rw1
    case rw4

    var keysPerTransaction: Int {
      switch self {
      case .rw1: 1
      case .rw4: 4
      }
    }
  }

  @Argument(help: "One of: rw1, rw4.")
  var workload: Workload

  @OptionGroup var options: LoadOptions

  @Option(
    help: """
      Address of the scheduler (host:port): route transactions across the cluster, timestamps \
      from its TSO (default: one store, --addr, and a local clock).
      """)
  var scheduler: String?

  func validate() throws {
    // As `tinykv-bench raw` checks it.
    if scheduler != nil, options.addr != nil {
      throw ValidationError(
        "--addr and --scheduler exclude each other: give the one store or the scheduler")
    }
    if let scheduler, (try? HostAndPort(parsing: scheduler)) == nil {
      throw ValidationError("--scheduler: \(scheduler) is not host:port")
    }
  }

  func run() async throws {
    let result: LoadResult
    if let scheduler {
      // validate() has parsed it already.
      result = try await ClientPool.connect(
        to: try HostAndPort(parsing: scheduler), count: options.connections,
        with: { endpoint, body in try await ClusterTxnClient.connect(scheduler: endpoint, body) }
      ) { pool in await measure(pool.connections) }
    } else {
      let clock = HybridClock()
      result = try await ClientPool.connect(
        to: options.endpoint, count: options.connections, with: GRPCTxnRPC.connect
      ) { pool in await measure(pool.connections.map { TxnClient(rpc: $0, oracle: clock) }) }
    }
    print(result.report())
    if let path = options.json {
      try result.json(extra: [
        "keys": "\(options.keys)", "valueSize": "\(options.valueSize)",
        "keySize": "\(options.keySize)", "connections": "\(options.connections)",
        "keysPerTransaction": "\(workload.keysPerTransaction)",
      ]).write(to: URL(fileURLWithPath: path))
    }
    if result.errors > 0 && result.operations == 0 { throw ExitCode.failure }
  }

  /// Runs the workload on `clients`, one per connection.
  private func measure<Router: TxnRouting, Oracle: TimestampOracle>(
    _ clients: [TxnClient<Router, Oracle>]
  ) async -> LoadResult {
    let keySpace = options.keySpace
    let runner = LoadRunner(
      concurrency: options.concurrency, stop: options.stop, seed: options.seed)
    let width = workload.keysPerTransaction
    return await runner.run("txn-\(workload.rawValue)") { worker, _, random in
      var indexes: Set<Int> = []
      while indexes.count < min(width, keySpace.count) {
        indexes.insert(keySpace.randomIndex(&random))
      }
      let keys = indexes.map { Self.txnKey(keySpace.key($0)) }
      let values = keys.map { _ in keySpace.value(&random) }
      try await clients[worker % clients.count].run { txn in
        for (key, value) in zip(keys, values) {
          _ = try await txn.get(key)
          txn.put(key, value)
        }
      }
    }
  }

  /// Transactional keys get their own prefix, apart from the raw workloads' keys.
  static func txnKey(_ key: Data) -> Data { Data("t".utf8) + key }
}
