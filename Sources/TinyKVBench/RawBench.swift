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

  @OptionGroup var target: RawTarget

  @Option(help: "Pairs per scan (scan workload).")
  var scanLength: UInt32 = 10

  func validate() throws { try target.validate(with: options) }

  func run() async throws {
    let stop: LoadRunner.Stop =
      workload == .load && options.ops == nil
      ? .afterOperations(options.keys) : options.stop
    FileHandle.standardError.write(
      Data("[raw-\(workload.rawValue)] \(target.describe(options))\n".utf8))
    try await target.run(
      RawRun(
        workload: workload, keySpace: options.keySpace, cf: target.cf, scanLength: scanLength,
        runner: LoadRunner(concurrency: options.concurrency, stop: stop, seed: options.seed)),
      options: options, parameters: [:])
  }
}

/// One run of a `raw` workload.
private struct RawRun: RawMeasurement {
  let workload: RawBench.Workload
  let keySpace: KeySpace
  let cf: String
  let scanLength: UInt32
  let runner: LoadRunner

  func measure<Client: RawKeyValueClient>(_ pool: ClientPool<Client>) async -> LoadResult {
    let (workload, keySpace, cf, scanLength) = (workload, keySpace, cf, scanLength)
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
