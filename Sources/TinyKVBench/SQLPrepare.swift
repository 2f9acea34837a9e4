import Foundation
import MySQLClient
import MySQLProtocol
import Randomness
import Synchronization

/// `tinykv-bench sql prepare`: creates the database and the tables (dropping tables of the
/// same names first) and loads `--table-size` rows into each with multi-row INSERTs of 100
/// rows, ids explicit (1 ... N, as sysbench's `--auto-inc=off`), `--threads` statements in
/// flight; progress goes to stderr at every tenth of the rows.
struct SQLPrepare: Sendable {
  let options: SQLOptions

  /// Rows per INSERT.
  static let batch = 100

  func run() async throws {
    let setup: MySQLConnection
    do {
      setup = try await SQLWorkers.connect(options, database: nil)
    } catch {
      throw SQLBenchError.explaining(error, options)
    }
    do {
      _ = try await setup.query("CREATE DATABASE IF NOT EXISTS \(Sysbench.database)")
      for table in 0..<options.tables {
        let name = "\(Sysbench.database).\(Sysbench.table(table))"
        _ = try await setup.query("DROP TABLE IF EXISTS \(name)")
        _ = try await setup.query(
          Sysbench.createTable(table).replacingOccurrences(
            of: "CREATE TABLE \(Sysbench.table(table))", with: "CREATE TABLE \(name)"))
        FileHandle.standardError.write(Data("sql prepare: created \(name)\n".utf8))
      }
    } catch {
      await setup.close()
      throw error
    }
    await setup.close()
    try await load()
  }

  /// Loads every table's rows, batches handed out to the connections as they finish.
  private func load() async throws {
    let (tableSize, seed) = (options.tableSize, options.seed)
    let batchesPerTable = (tableSize + Self.batch - 1) / Self.batch
    let total = options.tables * tableSize
    let progress = LoadProgress()
    let clock = ContinuousClock()
    let started = clock.now
    try await SQLWorkers.with(options, preparing: []) { workers in
      try await withThrowingTaskGroup(of: Void.self) { group in
        for worker in workers {
          group.addTask {
            while true {
              let index = progress.nextBatch.wrappingAdd(1, ordering: .relaxed).oldValue
              guard index < batchesPerTable * options.tables else { return }
              let table = index / batchesPerTable
              let first = (index % batchesPerTable) * Self.batch + 1
              let last = min(first + Self.batch - 1, tableSize)
              var random = SplitMix64(seed: seed &+ UInt64(index) &* 0x9E37_79B9)
              let result = try await worker.connection.query(
                Self.insert(table: table, ids: first...last, tableSize: tableSize, &random))
              guard result.affectedRows == UInt64(last - first + 1) else {
                throw SQLBenchError(
                  "loading \(Sysbench.table(table)) ids \(first)...\(last): the server inserted "
                    + "\(result.affectedRows) rows")
              }
              let rows = last - first + 1
              let before = progress.rows.wrappingAdd(rows, ordering: .relaxed).oldValue
              if (before + rows) * 10 / total > before * 10 / total {
                let seconds = (clock.now - started).seconds
                FileHandle.standardError.write(
                  Data(
                    ("sql prepare: \(before + rows) of \(total) rows, "
                      + "\(Int(Double(before + rows) / seconds)) rows/s\n").utf8))
              }
            }
          }
        }
        try await group.waitForAll()
      }
    }
    let seconds = (clock.now - started).seconds
    print(
      "sql prepare: \(total) rows in \(options.tables) table(s) in \(String(format: "%.1f", seconds)) s"
        + " = \(Int(Double(total) / seconds)) rows/s (\(Self.batch) rows per INSERT, "
        + "\(options.threads) connections)")
  }

  /// `INSERT INTO sbtestN (id, k, c, pad) VALUES (...), ...` for `ids`, `k` random in
  /// 1 ... `tableSize`.
  static func insert(
    table: Int, ids: ClosedRange<Int>, tableSize: Int, _ random: inout SplitMix64
  ) -> String {
    var sql = "INSERT INTO \(Sysbench.table(table)) (id, k, c, pad) VALUES "
    sql.reserveCapacity(ids.count * 200 + sql.utf8.count)
    for id in ids {
      if id != ids.lowerBound { sql += "," }
      let k = Sysbench.id(&random, size: tableSize)
      sql += "(\(id),\(k),'\(String(decoding: Sysbench.c(&random), as: UTF8.self))',"
      sql += "'\(String(decoding: Sysbench.pad(&random), as: UTF8.self))')"
    }
    return sql
  }
}

/// The load's shared counters.
private final class LoadProgress: Sendable {
  /// The next batch to insert, across tables.
  let nextBatch = Atomic<Int>(0)
  /// Rows inserted so far.
  let rows = Atomic<Int>(0)
}
