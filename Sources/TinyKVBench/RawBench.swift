import ArgumentParser
import Client
import Foundation

/// `tinykv-bench raw WORKLOAD`: the raw API under load.
struct RawBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "raw",
    abstract: "Raw API workloads: load, read, update, mixed (50/50), scan.",
    discussion: """
      With --addr every request goes to one store; with --scheduler requests are routed to the \
      leaders of their regions across the cluster (each of the --connections clients keeps its \
      own region cache and one connection per store).
      """)

  enum Workload: String, ExpressibleByArgument, CaseIterable, Sendable {
    /// Puts every key of the key space once, in order across workers.
    case load
    /// Gets random keys.
    case read
    /// Puts random keys.
    case update
    /// Half gets, half puts, of random keys.
    case mixed
    /// Short scans from random keys.
    case scan
  }

  @Argument(help: "One of: load, read, update, mixed, scan.")
  var workload: Workload

  @OptionGroup var options: LoadOptions

  @Option(help: "Pairs per scan (scan workload).")
  var scanLength: UInt32 = 10

  @Option(help: "Column family to use.")
  var cf = "default"

  @Option(help: "Address of the scheduler (host:port): route requests across the cluster.")
  var scheduler: String?

  func validate() throws {
    guard let scheduler else { return }
    guard options.addr == nil else {
      throw ValidationError(
        "--addr and --scheduler exclude each other: give the one store or the scheduler")
    }
    do { _ = try HostAndPort(parsing: scheduler) } catch {
      throw ValidationError("--scheduler: \(error)")
    }
  }

  func run() async throws {
    let result: LoadResult
    if let scheduler {
      // validate() has parsed it already.
      result = try await ClientPool.connect(
        to: try HostAndPort(parsing: scheduler), count: options.connections,
        with: { endpoint, body in try await ClusterRawClient.connect(scheduler: endpoint, body) }
      ) { pool in await measure(pool) }
    } else {
      result = try await ClientPool.connect(
        to: options.endpoint, count: options.connections, with: RawKVClient.connect
      ) { pool in await measure(pool) }
    }
    print(result.report())
    if let path = options.json {
      try result.json(extra: [
        "keys": "\(options.keys)", "valueSize": "\(options.valueSize)",
        "keySize": "\(options.keySize)", "connections": "\(options.connections)", "cf": cf,
      ]).write(to: URL(fileURLWithPath: path))
    }
    if result.errors > 0 && result.operations == 0 { throw ExitCode.failure }
  }

  /// Runs the workload on the pool's clients.
  private func measure<Client: RawKeyValueClient>(_ pool: ClientPool<Client>) async -> LoadResult {
    let keySpace = options.keySpace
    let stop: LoadRunner.Stop =
      workload == .load && options.ops == nil
      ? .afterOperations(keySpace.count) : options.stop
    let runner = LoadRunner(concurrency: options.concurrency, stop: stop, seed: options.seed)
    let (workload, cf, scanLength) = (self.workload, self.cf, self.scanLength)

    return await runner.run("raw-\(workload.rawValue)") { worker, ticket, random in
      let client = pool.connection(for: worker)
      switch workload {
      case .load:
        try await client.put(
          keySpace.key(ticket % keySpace.count), keySpace.value(&random), cf: cf)
      case .read:
        _ = try await client.get(keySpace.key(keySpace.randomIndex(&random)), cf: cf)
      case .update:
        try await client.put(
          keySpace.key(keySpace.randomIndex(&random)), keySpace.value(&random), cf: cf)
      case .mixed:
        let key = keySpace.key(keySpace.randomIndex(&random))
        if random.next() & 1 == 0 {
          _ = try await client.get(key, cf: cf)
        } else {
          try await client.put(key, keySpace.value(&random), cf: cf)
        }
      case .scan:
        _ = try await client.scan(
          from: keySpace.key(keySpace.randomIndex(&random)), to: Data(), limit: scanLength,
          cf: cf)
      }
    }
  }
}
