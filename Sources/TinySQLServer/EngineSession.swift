import Coprocessor
import MySQLProtocol
import SQLEngine
import SQLServer

/// One connection's SQL session: the engine's `Session` behind the server's `SQLSession`
/// protocol, values and columns translated to the wire's.
final class EngineSession: SQLSession {
  let session: Session
  var multiStatements = false

  init(_ session: Session) { self.session = session }

  var status: ServerStatus {
    var status: ServerStatus = []
    if session.autocommit { status.insert(.autocommit) }
    if session.inTransaction { status.insert(.inTransaction) }
    return status
  }

  var warningCount: UInt16 { UInt16(clamping: session.warnings.count) }

  func useDatabase(_ name: String) async throws(SQLFailure) {
    do {
      try await session.use(name)
    } catch {
      throw SQLFailure(error)
    }
  }

  func query(_ sql: String) async -> (results: [SQLResult], failure: SQLFailure?) {
    let (results, error) = await session.execute(sql, allowingSeveral: multiStatements)
    return (results.map(WireValues.result), error.map(SQLFailure.init))
  }

  func fieldList(table: String) async throws(SQLFailure) -> [ColumnDefinition] {
    let (results, error) = await session.execute("SHOW COLUMNS FROM `\(table)`")
    if let error { throw SQLFailure(error) }
    guard case .rows(_, let rows)? = results.first else { return [] }
    return rows.compactMap { row in
      guard case .bytes(let name) = row[0] else { return nil }
      var column = ColumnDefinition(
        name: String(decoding: name, as: UTF8.self), type: .varString, length: 255,
        characterSet: 45)
      column.table = table
      column.originalTable = table
      column.originalName = column.name
      return column
    }
  }

  func prepare(_ sql: String) async throws(SQLFailure) -> (id: UInt32, statement: PreparedStatement)
  {
    do {
      let (id, count) = try session.prepare(sql)
      return (id, PreparedStatement(parameterCount: count, columns: []))
    } catch {
      throw SQLFailure(error)
    }
  }

  func execute(statement id: UInt32, parameters: [BinaryValue]) async throws(SQLFailure)
    -> SQLResult
  {
    let (result, error) = await session.execute(
      statement: id, parameters: parameters.map(WireValues.datum))
    if let error { throw SQLFailure(error) }
    return result.map(WireValues.result) ?? .ok(affectedRows: 0, lastInsertID: 0, info: "")
  }

  func closeStatement(_ id: UInt32) { session.deallocate(statement: id) }

  func close() async { await session.close() }
}

extension SQLFailure {
  init(_ error: SQLError) {
    self.init(code: error.code, sqlState: error.sqlState, message: error.message)
  }
}
