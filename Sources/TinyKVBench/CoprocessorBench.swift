import ArgumentParser
import Client
import Foundation

/// `tinykv-bench copr load|query`: push-down reads of a table in TinySQL's layout across a
/// cluster, next to a plain transactional scan of the same rows.
///
/// `load` writes `--rows` rows in transactions of `--batch` rows, `--concurrency` at a time.
/// `query` runs, `--rounds` times each: a scan of every row through KvScan (pages of 10,000
/// pairs, every pair sent to the client: the limit a store's reading sets), `count(*)` pushed
/// down, and `sum(v) WHERE k < 10` pushed down; regions are asked one after another, so the
/// rows/s is one store's at a time. Each answer is checked against the rows loaded.
struct CoprocessorBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "copr",
    abstract: "Push-down reads (coprocessor): count(*) and a filtered sum against a plain scan.",
    discussion: """
      Example, against a playground:
        tinykv-bench copr load --scheduler 127.0.0.1:2379 --rows 1000000
        tinykv-bench copr query --scheduler 127.0.0.1:2379 --rows 1000000 --rounds 3
      """)

  enum Mode: String, ExpressibleByArgument, CaseIterable, Sendable {
    case load
    case query
  }

  @Argument(help: "load (write the rows) or query (measure the reads).")
  var mode: Mode

  @Option(help: "Address of the scheduler (host:port).")
  var scheduler = "127.0.0.1:2379"

  @Option(help: "Rows in the table (handles 1 to --rows).")
  var rows = 1_000_000

  @Option(help: "load: rows per transaction.")
  var batch = 1_000

  @Option(help: "load: transactions in flight.")
  var concurrency = 8

  @Option(help: "query: times each read runs (the report shows the median).")
  var rounds = 3

  func validate() throws {
    guard (try? HostAndPort(parsing: scheduler)) != nil else {
      throw ValidationError("--scheduler: \(scheduler) is not host:port")
    }
    guard rows > 0, batch > 0, concurrency > 0, rounds > 0 else {
      throw ValidationError("--rows, --batch, --concurrency and --rounds must be positive")
    }
  }

  func run() async throws {
    try await ClusterTxnClient.connect(scheduler: try HostAndPort(parsing: scheduler)) { client in
      switch mode {
      case .load: try await load(client)
      case .query: try await query(client)
      }
    }
  }

  private func load<Router: TxnRouting, Oracle: TimestampOracle>(
    _ client: TxnClient<Router, Oracle>
  ) async throws {
    let started = ContinuousClock.now
    let batches = stride(from: 1, through: rows, by: batch).map { $0...min($0 + batch - 1, rows) }
    var done = 0
    try await withThrowingTaskGroup(of: Int.self) { group in
      var pending = batches[...]
      func start() throws {
        guard let handles = pending.popFirst() else { return }
        let pairs = try handles.map { try BenchTable.row(Int64($0)) }
        group.addTask {
          try await client.run { txn in for pair in pairs { txn.put(pair.key, pair.value) } }
          return pairs.count
        }
      }
      for _ in 0..<concurrency { try start() }
      while let written = try await group.next() {
        let before = done * 20 / rows
        done += written
        if done * 20 / rows > before {
          FileHandle.standardError.write(Data("copr load: \(done) of \(rows) rows\n".utf8))
        }
        try start()
      }
    }
    let seconds = (ContinuousClock.now - started).seconds
    print(
      "copr load: \(rows) rows in \(String(format: "%.1f", seconds)) s, "
        + "\(Int(Double(rows) / seconds)) rows/s")
  }

  private func query<Router: CoprocessorRouting, Oracle: TimestampOracle>(
    _ client: TxnClient<Router, Oracle>
  ) async throws {
    let range = BenchTable.range
    let count = try BenchTable.countRequest.serializedData()
    let sum = try BenchTable.filteredSumRequest.serializedData()
    /// The DAG request `data` over every row, its regions' answers merged.
    @Sendable func pushDown(_ data: Data) async throws -> (count: Int64, sum: Double) {
      try BenchTable.mergedFirstColumn(
        try await client.coprocessor(
          type: 103, data: data, ranges: [range], startTS: try await client.oracle.timestamp()))
    }
    let reads: [(name: String, run: () async throws -> Void)] = [
      (
        "scan (KvScan)",
        {
          let txn = try await client.begin()
          var cursor = range.start
          var seen = 0
          while true {
            let page = try await txn.scan(from: cursor, to: range.end, limit: 10_000)
            seen += page.count
            guard let last = page.last, page.count == 10_000 else { break }
            cursor = last.key + Data([0])
          }
          guard seen == rows else {
            throw BenchTableError("the scan read \(seen) rows, not \(rows)")
          }
        }
      ),
      (
        "count(*)",
        {
          let merged = try await pushDown(count).count
          guard merged == BenchTable.expectedCount(rows) else {
            throw BenchTableError("count(*) answered \(merged), not \(rows)")
          }
        }
      ),
      (
        "sum(v) where k < 10",
        {
          let merged = try await pushDown(sum).sum
          guard merged == BenchTable.expectedFilteredSum(rows) else {
            throw BenchTableError(
              "the sum answered \(merged), not \(BenchTable.expectedFilteredSum(rows))")
          }
        }
      ),
    ]
    var medians: [Double] = []
    print("| read | rows/s (median of \(rounds)) | x the scan |")
    print("| --- | --- | --- |")
    for read in reads {
      var rates: [Double] = []
      for _ in 0..<rounds {
        let started = ContinuousClock.now
        try await read.run()
        rates.append(Double(rows) / (ContinuousClock.now - started).seconds)
      }
      let median = rates.sorted()[rates.count / 2]
      medians.append(median)
      print("| \(read.name) | \(Int(median)) | \(String(format: "%.2f", median / medians[0])) |")
    }
  }
}
