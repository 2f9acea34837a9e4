import ArgumentParser
import Foundation
import MySQLClient

/// `tinykv-bench sql WORKLOAD`: sysbench's OLTP workloads against a MySQL-protocol server
/// (tinysql-server), through the MySQLClient module.
struct SQLBench: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sql",
    abstract: "sysbench-style SQL workloads over the MySQL protocol: prepare, point-select, "
      + "range, insert.",
    discussion: """
      prepare creates database sbtest with --tables tables sbtest1 ... (sysbench's oltp schema: \
      id, k, c CHAR(120), pad CHAR(60), KEY on k) and loads --table-size rows into each with \
      INSERTs of 100 rows. Then, each for --duration seconds over --threads connections (one \
      task each, one statement at a time), on a random table:
        point-select  SELECT c FROM sbtestN WHERE id=?  (a random id; exactly 1 row expected)
        range         sysbench's read-only ranges over 100 ids, in turn: SELECT c ... BETWEEN, \
      SELECT SUM(k) ... BETWEEN, ... ORDER BY c, SELECT DISTINCT c ... ORDER BY c
        insert        INSERT INTO sbtestN (k, c, pad) VALUES (?, ?, ?)  (autocommit)
      Statements are prepared once per connection and executed with binary results, as \
      sysbench does (--text sends them as text). The result is statements/s and latency \
      percentiles; every answer is checked, and a wrong one fails the run (exit status 1).

      Example, against a playground (tinykv-playground serves SQL on port 4000):
        tinykv-bench sql prepare --table-size 10000
        tinykv-bench sql point-select --table-size 10000 --threads 16 --duration 10
      """)

  enum Workload: String, ExpressibleByArgument, CaseIterable, Sendable {
    case prepare
    case pointSelect = "point-select"
    case range
    case insert
  }

  @Argument(help: "One of: prepare, point-select, range, insert.")
  var workload: Workload

  @OptionGroup var options: SQLOptions

  func run() async throws {
    if workload == .prepare {
      try await SQLPrepare(options: options).run()
      return
    }
    FileHandle.standardError.write(
      Data(
        ("[sql-\(workload.rawValue)] \(options.host):\(options.port), \(options.tables) table(s)"
          + " of \(options.tableSize) rows, \(options.threads) connection(s), "
          + "\(options.text ? "text" : "prepared") statements\n").utf8))
    let workloads = SQLWorkloads(
      options: options,
      runner: LoadRunner(
        concurrency: options.threads,
        stop: .afterDuration(.milliseconds(Int(options.duration * 1000))), seed: options.seed))
    let statements: [SysbenchStatement] =
      switch workload {
      case .pointSelect: [.pointSelect]
      case .range: SysbenchStatement.ranges
      case .insert, .prepare: [.insert]
      }
    let result = try await SQLWorkers.with(options, preparing: statements) { workers in
      try await SQLWorkers.checkTables(workers[0], options)
      return switch workload {
      case .pointSelect: await workloads.pointSelect(workers)
      case .range: await workloads.range(workers)
      case .insert, .prepare: await workloads.insert(workers)
      }
    }
    print(result.report())
    if let path = options.json {
      try result.json(extra: options.parameters).write(to: URL(fileURLWithPath: path))
    }
    if workloads.wrongAnswers.value > 0 {
      print("  wrong answers: \(workloads.wrongAnswers.value)")
      throw ExitCode.failure
    }
    if result.errors > 0 && result.operations == 0 { throw ExitCode.failure }
  }
}
