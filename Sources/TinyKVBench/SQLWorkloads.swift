import Foundation
import MySQLClient
import MySQLProtocol
import Synchronization

/// The measured workloads of `tinykv-bench sql`, each statement's answer checked: a point
/// select returns exactly one row, a range its 100 rows (sorted where it orders them), a sum
/// one value, an insert one affected row. A wrong answer counts as a failed statement and in
/// ``wrongAnswers``.
struct SQLWorkloads: Sendable {
  let options: SQLOptions
  let runner: LoadRunner
  /// Statements whose answer was wrong (not the server's errors).
  let wrongAnswers = WrongAnswerCount()

  /// `SELECT c FROM sbtestN WHERE id=?`, a random table and id.
  func pointSelect(_ workers: [SQLWorker]) async -> LoadResult {
    let (size, tables, wrong) = (options.tableSize, options.tables, wrongAnswers)
    return await runner.run("sql-point-select") { worker, _, random in
      let table = Int(random.next() % UInt64(tables))
      let id = Sysbench.id(&random, size: size)
      let result = try await workers[worker].run(.pointSelect, table: table, [.int(id)])
      try wrong.check(result.rows.count == 1) {
        "\(Sysbench.table(table)) id=\(id): \(result.rows.count) rows, not 1"
      }
    }
  }

  /// sysbench's four read-only range queries over ids `start ... start + 99`, in turn: plain,
  /// `SUM(k)`, `ORDER BY c`, `DISTINCT c ... ORDER BY c`; the result has a line per kind.
  func range(_ workers: [SQLWorker]) async -> LoadResult {
    let (size, tables, wrong) = (options.tableSize, options.tables, wrongAnswers)
    let kinds = SysbenchStatement.ranges
    return await runner.runMix("sql-range", kinds: kinds.map(\.name)) { worker, ticket, random in
      let kind = ticket % kinds.count
      let statement = kinds[kind]
      let table = Int(random.next() % UInt64(tables))
      let start = Sysbench.id(&random, size: size - SysbenchStatement.rangeSize + 1)
      let end = start + Int64(SysbenchStatement.rangeSize) - 1
      let rows = try await workers[worker].run(statement, table: table, [.int(start), .int(end)])
        .rows
      let label = "\(Sysbench.table(table)) \(statement.name) \(start)...\(end)"
      switch statement {
      case .sumRange:
        try wrong.check(rows.count == 1 && rows[0].count == 1 && rows[0][0] != .null) {
          "\(label): \(rows.count) rows, not one sum"
        }
      case .distinctRange:
        let values = rows.map { $0.first.map(Self.bytes) ?? [] }
        try wrong.check((1...SysbenchStatement.rangeSize).contains(rows.count)) {
          "\(label): \(rows.count) rows, not 1 to \(SysbenchStatement.rangeSize)"
        }
        try wrong.check(
          zip(values, values.dropFirst()).allSatisfy { $0.lexicographicallyPrecedes($1) }
        ) {
          "\(label): the values are not distinct and in order"
        }
      default:
        try wrong.check(rows.count == SysbenchStatement.rangeSize) {
          "\(label): \(rows.count) rows, not \(SysbenchStatement.rangeSize)"
        }
        if statement == .orderRange {
          let values = rows.map { $0.first.map(Self.bytes) ?? [] }
          try wrong.check(
            zip(values, values.dropFirst()).allSatisfy { !$1.lexicographicallyPrecedes($0) }
          ) {
            "\(label): the rows are not in order of c"
          }
        }
      }
      return kind
    }
  }

  /// `INSERT INTO sbtestN (k, c, pad) VALUES (?, ?, ?)` in autocommit, the id from
  /// AUTO_INCREMENT.
  func insert(_ workers: [SQLWorker]) async -> LoadResult {
    let (size, tables, wrong) = (options.tableSize, options.tables, wrongAnswers)
    return await runner.run("sql-insert") { worker, _, random in
      let table = Int(random.next() % UInt64(tables))
      let k = Sysbench.id(&random, size: size)
      let result = try await workers[worker].run(
        .insert, table: table,
        [.int(k), .bytes(Sysbench.c(&random)), .bytes(Sysbench.pad(&random))])
      try wrong.check(result.affectedRows == 1) {
        "\(Sysbench.table(table)) insert: \(result.affectedRows) rows affected, not 1"
      }
    }
  }

  /// A value's bytes (a number's text), for comparing rows.
  private static func bytes(_ value: BinaryValue) -> [UInt8] {
    switch value {
    case .bytes(let bytes): bytes
    case .null: []
    case .int(let number): Array(String(number).utf8)
    case .uint(let number): Array(String(number).utf8)
    case .double(let number): Array("\(number)".utf8)
    }
  }
}

/// Counts wrong answers across the workers.
final class WrongAnswerCount: Sendable {
  private let count = Atomic<Int>(0)

  var value: Int { count.load(ordering: .relaxed) }

  /// Throws ``WrongAnswer`` (and counts it) unless `condition` holds.
  func check(_ condition: Bool, _ message: () -> String) throws {
    guard !condition else { return }
    count.add(1, ordering: .relaxed)
    throw WrongAnswer(description: message())
  }
}

/// A statement answered, but not as the loaded tables say it should.
struct WrongAnswer: Error, CustomStringConvertible {
  let description: String
}
