import ArgumentParser
import Client
import Foundation

/// `tinykv-bench txn WORKLOAD`: Percolator transactions under load.
///
/// Every operation is one read-write transaction: read N random keys at the start timestamp,
/// write a new value to each, prewrite and commit (two round trips, two synced writes on the
/// store). A conflict or abort retries the whole transaction (up to 20 times) inside the same
/// operation, so the latency includes retries. Timestamps come from the scheduler's TSO with
/// `--scheduler`, else from a local hybrid clock.
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

  @Option(help: "Address of the scheduler whose TSO gives the timestamps (default: a local clock).")
  var scheduler: String?

  func run() async throws {
    guard let scheduler else { return try await run(oracle: BenchClock(scheduler: nil)) }
    let endpoint: HostAndPort
    do { endpoint = try HostAndPort(parsing: scheduler) } catch {
      throw ValidationError("--scheduler: \(error)")
    }
    try await SchedulerClient.connect(to: endpoint) { tso in
      try await run(oracle: BenchClock(scheduler: tso))
    }
  }

  private func run(oracle: BenchClock) async throws {
    let keySpace = options.keySpace
    let runner = LoadRunner(
      concurrency: options.concurrency, stop: options.stop, seed: options.seed)
    let width = workload.keysPerTransaction

    let result = try await ClientPool.connect(
      to: options.endpoint, count: options.connections, with: GRPCTxnRPC.connect
    ) {
      pool in
      let clients = pool.connections.map { TxnClient(rpc: $0, oracle: oracle) }
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
    print(result.report())
    if let path = options.json {
      try result.json(extra: [
        "keys": "\(options.keys)", "valueSize": "\(options.valueSize)",
        "keySize": "\(options.keySize)", "connections": "\(options.connections)",
        "keysPerTransaction": "\(width)",
      ]).write(to: URL(fileURLWithPath: path))
    }
    if result.errors > 0 && result.operations == 0 { throw ExitCode.failure }
  }

  /// Transactional keys get their own prefix, apart from the raw workloads' keys.
  static func txnKey(_ key: Data) -> Data { Data("t".utf8) + key }
}

/// The scheduler's TSO when one is given, else a local hybrid clock.
struct BenchClock: TimestampOracle {
  let scheduler: SchedulerClient?
  let local = HybridClock()

  func timestamp() async throws -> UInt64 {
    if let scheduler { return try await scheduler.timestamp() }
    return local.timestamp()
  }
}
