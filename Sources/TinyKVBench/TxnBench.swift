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
    abstract:
      "Transactional workloads: rw1 (1-key read-write txns), rw4 (4-key read-write txns), bank.",
    discussion: """
      bank opens --keys accounts (1,000 each; at most 100,000), then every operation moves a       random amount between two random accounts in one transaction; at the end one snapshot       reads the whole bank and the total is checked (exit status 1 if it changed).
      """)

  enum Workload: String, ExpressibleByArgument, CaseIterable, Sendable {
    case rw1
    case rw4
    case bank

    var keysPerTransaction: Int {
      switch self {
      case .rw1: 1
      case .bank: 2
      case .rw4: 4
      }
    }
  }

  @Argument(help: "One of: rw1, rw4, bank.")
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
    if workload == .bank, !(2...100_000).contains(options.keys) {
      throw ValidationError("bank: --keys (the accounts) must be 2 to 100,000")
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
      ) { pool in try await measure(pool.connections) }
    } else {
      let clock = HybridClock()
      result = try await ClientPool.connect(
        to: options.endpoint, count: options.connections, with: GRPCTxnRPC.connect
      ) { pool in
        try await measure(pool.connections.map { TxnClient(rpc: $0, oracle: clock) })
      }
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
  ) async throws -> LoadResult {
    if workload == .bank { return try await measureBank(clients) }
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

  /// The bank: open the accounts, transfer under load, then audit the total.
  private func measureBank<Router: TxnRouting, Oracle: TimestampOracle>(
    _ clients: [TxnClient<Router, Oracle>]
  ) async throws -> LoadResult {
    let bank = Bank(accounts: options.keys)
    FileHandle.standardError.write(Data("bank: opening \(bank.accounts) accounts\n".utf8))
    try await bank.open(clients[0])
    let runner = LoadRunner(
      concurrency: options.concurrency, stop: options.stop, seed: options.seed)
    let result = await runner.run("txn-bank") { worker, _, random in
      try await bank.transfer(clients[worker % clients.count], &random)
    }
    let total = try await bank.audit(clients[0])
    guard total == bank.total else {
      throw BankError("the bank's total is \(total), not \(bank.total): money was made or lost")
    }
    print("bank: \(bank.accounts) accounts, total \(total) as opened (checked in one snapshot)")
    return result
  }

  /// Transactional keys get their own prefix, apart from the raw workloads' keys.
  static func txnKey(_ key: Data) -> Data { Data("t".utf8) + key }
}
