import Coprocessor
import Foundation
import MySQLProtocol

@testable import SQLEngine

/// Runs corpus files through a session over an in-process store, printing values as the
/// corpus's runner does (Tests/SQLClients/slt_runner.py) from the text the server would send.
struct SQLLogicRunner {
  /// A record whose answer was not the expected one.
  struct Failure: CustomStringConvertible {
    var file: String
    var line: Int
    var sql: String
    var problem: String
    var description: String { "\(file):\(line): \(sql)\n    \(problem)" }
  }

  /// Runs every record of `file` in order on a fresh session of `db`.
  static func run(_ file: SQLLogicFile, on db: SQLTestDatabase) async -> [Failure] {
    let session = db.newSession()
    var failures: [Failure] = []
    for record in file.records {
      let (results, error) = await session.execute(record.sql)
      func fail(_ problem: String) {
        failures.append(
          Failure(file: file.name, line: record.line, sql: record.sql, problem: problem))
      }
      switch record.expectation {
      case .ok:
        if let error { fail("expected success, got \(error)") }
      case .error(let code):
        if let error {
          if error.code != code { fail("expected error \(code), got \(error)") }
        } else {
          fail("expected error \(code), but it succeeded")
        }
      case .rows(let types, let sorted, let expected):
        if let error {
          fail("expected rows, got \(error)")
          continue
        }
        guard case .rows(let columns, let rows)? = results.last else {
          fail("expected rows, got no result set")
          continue
        }
        guard columns.count == types.count else {
          fail("expected \(types.count) columns, got \(columns.count)")
          continue
        }
        var actual = rows.map { row in
          zip(row, zip(columns, types)).map { format($0, column: $1.0, type: $1.1) }
            .joined(separator: "\t")
        }
        var wanted = expected
        if sorted {
          actual.sort()
          wanted.sort()
        }
        if actual != wanted {
          fail(
            "expected:\n      " + wanted.prefix(20).joined(separator: "\n      ")
              + "\n    got:\n      "
              + actual.prefix(20).joined(separator: "\n      "))
        }
      }
    }
    return failures
  }

  /// A value as the corpus writes it: `NULL`, `(empty)`, text (`0x…` hex for bytes that are
  /// not printable UTF-8), or a real with three decimals.
  static func format(_ datum: Datum, column: ResultColumn, type: Character) -> String {
    guard datum != .null else { return "NULL" }
    let wire: BinaryValue =
      switch datum {
      case .int(let v): .int(v)
      case .uint(let v): .uint(v)
      case .float(let v): .double(v)
      case .bytes(let v): .bytes(v)
      case .null, .minNotNull, .maxValue: .null
      }
    let bytes = wire.text(as: column.type.type == .float ? .float : .double) ?? []
    if bytes.isEmpty { return "(empty)" }
    if type == "R", let value = Double(String(decoding: bytes, as: UTF8.self)) {
      let rounded = (value * 1000).rounded(.toNearestOrAwayFromZero) / 1000
      let text = String(format: "%.3f", rounded)
      return text == "-0.000" ? "0.000" : text
    }
    guard let text = String(validating: bytes, as: UTF8.self),
      !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
    else {
      return "0x" + bytes.map { String(format: "%02X", $0) }.joined()
    }
    return text
  }
}
