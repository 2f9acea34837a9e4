import ArgumentParser
import Client
import Foundation
import Randomness
import Synchronization

/// `tinykv-bench ycsb WORKLOAD`: the YCSB core workloads over the raw API, or with `--txn`
/// over transactions.
struct YCSBBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ycsb",
    abstract: "YCSB core workloads over the raw API (or transactions): load, a, b, c, e.",
    discussion: """
      load inserts records 0 ..< --keys once each (in order, spread over the workers); run it \
      first. Then:
        a  50% read, 50% update (a whole record: one put)
        b  95% read, 5% update
        c  100% read
        e  95% scan (1 ... --max-scan-length records, uniform), 5% insert (new records)
      Records are chosen by --distribution: zipfian (YCSB's scrambled Zipfian: popular records \
      spread over the key space by a hash) or uniform, seeded by --seed (printed at the start \
      and with the result). Reads and scans choose among the loaded records. A record is one \
      key (--key-size bytes) and one value (--value-size bytes; YCSB's default is 10 fields \
      of 100 bytes, here one field). The result has a line per kind of operation.

      With --txn every operation is one transaction (ClusterTxnClient with --scheduler, else \
      one store and a local clock): a read is a snapshot get, an update or insert reads the \
      key and writes it (two-phase commit, retried on conflict), a scan is a snapshot scan. \
      Transactional records have their own keys (prefix "t"): load them with --txn too.

      Example, against a cluster:
        tinykv-bench ycsb load --scheduler 127.0.0.1:2379 --keys 100000
        tinykv-bench ycsb a --scheduler 127.0.0.1:2379 --keys 100000 --concurrency 64
      """)

  enum Workload: String, ExpressibleByArgument, CaseIterable, Sendable {
    case load, a, b, c, e
  }

  enum Distribution: String, ExpressibleByArgument, CaseIterable, Sendable {
    case zipfian, uniform
  }

  @Argument(help: "One of: load, a (50/50 read/update), b (95/5), c (read only), e (scan/insert).")
  var workload: Workload

  @OptionGroup var options: LoadOptions

  @OptionGroup var target: RawTarget

  @Option(help: "How records are chosen: zipfian or uniform.")
  var distribution: Distribution = .zipfian

  @Option(help: "Skew of the zipfian distribution, between 0 and 1 (YCSB's zipfianconstant).")
  var zipfianConstant = 0.99

  @Option(help: "Longest scan of workload e, in records (the length is uniform from 1).")
  var maxScanLength: UInt32 = 100

  @Flag(help: "Run each operation as a transaction instead of a raw request.")
  var txn = false

  func validate() throws {
    try target.validate(with: options)
    guard zipfianConstant > 0, zipfianConstant < 1 else {
      throw ValidationError("--zipfian-constant must be between 0 and 1 (exclusive)")
    }
    guard maxScanLength > 0 else { throw ValidationError("--max-scan-length must be positive") }
  }

  func run() async throws {
    let stop: LoadRunner.Stop =
      workload == .load && options.ops == nil ? .afterOperations(options.keys) : options.stop
    let choice =
      distribution == .zipfian
      ? "zipfian (constant \(zipfianConstant))" : "uniform"
    FileHandle.standardError.write(
      Data(
        ("[ycsb-\(workload.rawValue)\(txn ? "-txn" : "")] \(options.keys) records, \(choice), seed \(options.seed),"
          + " \(options.concurrency) in flight, \(target.describe(options))\n").utf8))
    let measurement = YCSBRun(
      name: "ycsb-\(workload.rawValue)\(txn ? "-txn" : "")", workload: workload,
      keySpace: options.keySpace, cf: target.cf,
      zipfian: distribution == .zipfian
        ? Zipfian(count: options.keys, theta: zipfianConstant) : nil,
      maxScanLength: maxScanLength,
      runner: LoadRunner(concurrency: options.concurrency, stop: stop, seed: options.seed))
    try await target.run(
      measurement, options: options,
      parameters: [
        "distribution": distribution.rawValue, "zipfianConstant": "\(zipfianConstant)",
        "maxScanLength": "\(maxScanLength)",
      ], transactional: txn)
  }
}

/// One run of a YCSB workload.
private struct YCSBRun: RawMeasurement {
  /// The kinds of operation, in the order of the result's per-kind lines.
  enum Kind: Int, CaseIterable {
    case read, update, insert, scan
    static var names: [String] { allCases.map { "\($0)" } }
  }

  /// The result's name: `ycsb-a`, `ycsb-a-txn`, ...
  let name: String
  let workload: YCSBBench.Workload
  let keySpace: KeySpace
  let cf: String
  /// The record choice; `nil`: uniform.
  let zipfian: Zipfian?
  let maxScanLength: UInt32
  let runner: LoadRunner
  /// The next record workload e inserts, counted from the loaded ones.
  let inserted = InsertCounter()

  func measure<Client: RawKeyValueClient>(_ pool: ClientPool<Client>) async -> LoadResult {
    let run = self
    return await runner.runMix(name, kinds: Kind.names) {
      worker, ticket, random in
      try await run.operation(pool.connection(for: worker), ticket: ticket, &random).rawValue
    }
  }

  /// Runs one operation of the workload's mix; returns its kind.
  private func operation(
    _ client: some RawKeyValueClient, ticket: Int, _ random: inout SplitMix64
  ) async throws -> Kind {
    let draw = Double(random.next() >> 11) * 0x1p-53
    switch workload {
    case .load:
      try await client.put(keySpace.key(ticket % keySpace.count), keySpace.value(&random), cf: cf)
      return .insert
    case .a, .b, .c:
      let readShare = workload == .a ? 0.5 : workload == .b ? 0.95 : 1
      let key = keySpace.key(record(&random))
      if draw < readShare {
        _ = try await client.get(key, cf: cf)
        return .read
      }
      try await client.put(key, keySpace.value(&random), cf: cf)
      return .update
    case .e:
      if draw < 0.95 {
        let length = UInt32(random.next() % UInt64(maxScanLength)) + 1
        _ = try await client.scan(
          from: keySpace.key(record(&random)), to: Data(), limit: length, cf: cf)
        return .scan
      }
      let index = keySpace.count + inserted.next()
      try await client.put(keySpace.key(index), keySpace.value(&random), cf: cf)
      return .insert
    }
  }

  /// A loaded record's index.
  private func record(_ random: inout SplitMix64) -> Int {
    zipfian?.index(&random) ?? keySpace.randomIndex(&random)
  }
}

/// Hands out the indexes of inserted records, across workers.
private final class InsertCounter: Sendable {
  private let count = Atomic<Int>(0)
  func next() -> Int { count.wrappingAdd(1, ordering: .relaxed).oldValue }
}
