import Foundation
import MySQLProtocol
import SQLServer
import Synchronization

/// What the sessions of one server were asked, in order, for tests to check (`close 3` when
/// connection 3's session was closed).
final class SessionLog: Sendable {
  private let entries = Mutex<[String]>([])

  func record(_ entry: String) { entries.withLock { $0.append(entry) } }

  var all: [String] { entries.withLock { $0 } }
}

/// Holds statements of the form `WAIT name` until the test opens gate `name`: a slow statement
/// that takes exactly as long as the test wants.
final class Gates: Sendable {
  private let state = Mutex<
    (open: Set<String>, waiting: [String: [CheckedContinuation<Void, Never>]])
  >(
    ([], [:]))

  func open(_ name: String) {
    let resumed = state.withLock { state in
      state.open.insert(name)
      return state.waiting.removeValue(forKey: name) ?? []
    }
    for continuation in resumed { continuation.resume() }
  }

  /// How many statements wait at gate `name`.
  func waiting(at name: String) -> Int { state.withLock { $0.waiting[name]?.count ?? 0 } }

  func pass(_ name: String) async {
    await withCheckedContinuation { continuation in
      let isOpen = state.withLock { state in
        if state.open.contains(name) { return true }
        state.waiting[name, default: []].append(continuation)
        return false
      }
      if isOpen { continuation.resume() }
    }
  }
}

/// A fake SQL layer with a fixed repertoire, for testing the server without an engine.
/// Statements (case-insensitive; `;` separates statements, quotes are not looked into):
///
/// - `SELECT <integer>`: one row, one LONGLONG column (NOT NULL, BINARY) named as the literal
///   (`SELECT 1`, and PyMySQL's `SELECT 5` after it interpolates `SELECT %s`);
/// - `SELECT '<text>'`: one VAR_STRING column;
/// - `SELECT NULL, 1.5, 'x'`: a NULL column, a DOUBLE 1.5 and a VAR_STRING `x`;
/// - `SELECT 1e20, 0.1, 1.5e-7`: three doubles, for their text form;
/// - `SELECT @@version_comment LIMIT 1`, `SELECT DATABASE()`, `SELECT CONNECTION_ID()`;
/// - `SHOW DATABASES`: `information_schema` and `test`;
/// - `SELECT BAD ROW`: a result whose second row has two values for its one column;
/// - `SELECT * FROM missing` (any table `missing`): error 1146;
/// - `SET AUTOCOMMIT = 0|1`, `BEGIN`, `START TRANSACTION`, `COMMIT`, `ROLLBACK`: the status
///   flags; other `SET` statements: OK;
/// - `INSERT ...`: OK with 1 affected row, last insert id 42, info `Records: 1`;
/// - `WAIT <gate>`: waits until the test opens the gate, then OK;
/// - anything else: error 1064.
///
/// Prepared: any text whose `?` are counted as parameters; executing it echoes the parameters
/// back as one row (a column per parameter, typed by the value: LONGLONG, DOUBLE, VAR_STRING,
/// NULL). `SELECT WIDTHS` has no parameters and answers one row of TINY -1, SHORT -2, LONG -3,
/// INT24 4, LONGLONG -5, FLOAT 1.5, DOUBLE 2.5, YEAR 2024, DATETIME, with its columns known at
/// prepare; a text naming table `missing` fails at prepare with 1146.
///
/// Databases: `nope` is unknown (1049); the field list of table `t` is `id` and `name`.
final class ScriptedSession: SQLSession {
  private(set) var status: ServerStatus = .autocommit
  private(set) var warningCount: UInt16 = 0
  var multiStatements = false
  private var database: String?
  private var prepared: [UInt32: String] = [:]
  private var nextStatement: UInt32 = 1
  private let info: ConnectionInfo
  private let log: SessionLog
  private let gates: Gates

  init(info: ConnectionInfo, log: SessionLog, gates: Gates) {
    self.info = info
    self.log = log
    self.gates = gates
    log.record("open \(info.connectionID) \(info.user)@\(info.clientAddress)")
  }

  func useDatabase(_ name: String) async throws(SQLFailure) {
    log.record("use \(name)")
    guard name != "nope" else {
      throw SQLFailure(code: 1049, sqlState: "42000", message: "Unknown database '\(name)'")
    }
    database = name
  }

  func query(_ sql: String) async -> (results: [SQLResult], failure: SQLFailure?) {
    log.record("query \(sql)")
    let statements = sql.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    if statements.count > 1, !multiStatements {
      return ([], Self.syntaxError(sql))
    }
    var results: [SQLResult] = []
    for statement in statements {
      do throws(SQLFailure) {
        results.append(try await run(statement))
      } catch {
        return (results, error)
      }
    }
    return (results, nil)
  }

  func fieldList(table: String) async throws(SQLFailure) -> [ColumnDefinition] {
    guard table == "t" else { throw Self.noTable(table) }
    return [Self.column("id", .longlong), Self.column("name", .varString)]
  }

  func prepare(_ sql: String) async throws(SQLFailure) -> (
    id: UInt32, statement: PreparedStatement
  ) {
    log.record("prepare \(sql)")
    if sql.lowercased().contains("missing") { throw Self.noTable("missing") }
    let id = nextStatement
    nextStatement += 1
    prepared[id] = sql
    let columns = sql.uppercased() == "SELECT WIDTHS" ? Self.widthColumns : []
    return (id, PreparedStatement(parameterCount: sql.count { $0 == "?" }, columns: columns))
  }

  func execute(statement id: UInt32, parameters: [BinaryValue]) async throws(SQLFailure)
    -> SQLResult
  {
    log.record("execute \(id) \(parameters)")
    guard let sql = prepared[id] else {
      throw SQLFailure(code: 1243, sqlState: "HY000", message: "no statement \(id)")
    }
    if sql.uppercased() == "SELECT WIDTHS" {
      return .rows(
        columns: Self.widthColumns,
        rows: [
          [
            .int(-1), .int(-2), .int(-3), .int(4), .int(-5), .double(1.5), .double(2.5),
            .int(2024), .bytes(Array("2024-05-06 07:08:09".utf8)),
          ]
        ])
    }
    let columns = parameters.enumerated().map { index, value in
      switch value {
      case .null: Self.column("p\(index)", .null)
      case .int, .uint: Self.column("p\(index)", .longlong)
      case .double: Self.column("p\(index)", .double)
      case .bytes: Self.column("p\(index)", .varString)
      }
    }
    return .rows(columns: columns, rows: [parameters])
  }

  func closeStatement(_ id: UInt32) {
    log.record("close statement \(id)")
    prepared[id] = nil
  }

  func close() async {
    log.record("close \(info.connectionID)")
  }

  private func run(_ statement: String) async throws(SQLFailure) -> SQLResult {
    let upper = statement.uppercased()
    let words = upper.split(separator: " ").map(String.init)
    switch upper {
    case "SELECT NULL, 1.5, 'X'":
      return .rows(
        columns: [
          Self.column("NULL", .null), Self.column("1.5", .double), Self.column("x", .varString),
        ],
        rows: [[.null, .double(1.5), .bytes(Array("x".utf8))]])
    case "SELECT 1E20, 0.1, 1.5E-7":
      return .rows(
        columns: [
          Self.column("1e20", .double), Self.column("0.1", .double), Self.column("1.5e-7", .double),
        ],
        rows: [[.double(1e20), .double(0.1), .double(1.5e-7)]])
    case "SELECT @@VERSION_COMMENT LIMIT 1":
      return .rows(
        columns: [Self.column("@@version_comment", .varString)],
        rows: [[.bytes(Array("TinyKV-Swift test".utf8))]])
    case "SELECT DATABASE()":
      return .rows(
        columns: [Self.column("DATABASE()", .varString)],
        rows: [[database.map { .bytes(Array($0.utf8)) } ?? .null]])
    case "SELECT CONNECTION_ID()":
      return .rows(
        columns: [Self.column("CONNECTION_ID()", .longlong)],
        rows: [[.uint(UInt64(info.connectionID))]])
    case "SELECT BAD ROW":
      return .rows(columns: [Self.column("a", .longlong)], rows: [[.int(1)], [.int(1), .int(2)]])
    case "SHOW DATABASES":
      return .rows(
        columns: [Self.column("Database", .varString)],
        rows: [[.bytes(Array("information_schema".utf8))], [.bytes(Array("test".utf8))]])
    case "SET AUTOCOMMIT = 0", "SET AUTOCOMMIT=0":
      status.remove(.autocommit)
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    case "SET AUTOCOMMIT = 1", "SET AUTOCOMMIT=1":
      status.insert(.autocommit)
      status.remove(.inTransaction)
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    case "BEGIN", "START TRANSACTION":
      status.insert(.inTransaction)
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    case "COMMIT", "ROLLBACK":
      status.remove(.inTransaction)
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    default:
      break
    }
    if words.first == "SELECT", words.count == 2, let value = Int64(words[1]) {
      // As MySQL describes an integer literal: NOT NULL and BINARY (which `mysql --table`
      // reads: no room kept for "NULL").
      var column = Self.column(words[1], .longlong)
      column.flags = 1 | 128
      return .rows(columns: [column], rows: [[.int(value)]])
    }
    if words.first == "SELECT", statement.dropFirst(7).hasPrefix("'"), statement.hasSuffix("'"),
      statement.count >= 9
    {
      let text = String(statement.dropFirst(8).dropLast())
      return .rows(columns: [Self.column(text, .varString)], rows: [[.bytes(Array(text.utf8))]])
    }
    if words.contains("MISSING") { throw Self.noTable("missing") }
    if words.first == "SET" { return .ok(affectedRows: 0, lastInsertID: 0, info: "") }
    if words.first == "INSERT" { return .ok(affectedRows: 1, lastInsertID: 42, info: "Records: 1") }
    if words.first == "WAIT", words.count == 2 {
      await gates.pass(String(statement.split(separator: " ")[1]))
      return .ok(affectedRows: 0, lastInsertID: 0, info: "")
    }
    throw Self.syntaxError(statement)
  }

  static let widthColumns = [
    column("tiny", .tiny), column("short", .short), column("long", .long),
    column("int24", .int24), column("longlong", .longlong), column("float", .float),
    column("double", .double), column("year", .year), column("datetime", .datetime),
  ]

  static func column(_ name: String, _ type: ColumnType) -> ColumnDefinition {
    let text = [ColumnType.varString, .varchar, .string, .blob].contains(type)
    return ColumnDefinition(
      name: name, type: type, length: text ? 1024 : 20, characterSet: text ? 45 : 63)
  }

  static func noTable(_ name: String) -> SQLFailure {
    SQLFailure(code: 1146, sqlState: "42S02", message: "Table 'test.\(name)' doesn't exist")
  }

  static func syntaxError(_ sql: String) -> SQLFailure {
    SQLFailure(
      code: 1064, sqlState: "42000",
      message: "You have an error in your SQL syntax near '\(sql.prefix(40))'")
  }
}
