import MySQLProtocol

extension Connection {
  /// `COM_STMT_PREPARE`: the session's statement id, COM_STMT_PREPARE_OK, the parameters'
  /// definitions (each a `?` of type VAR_STRING) and the result's columns, each group ended by
  /// EOF unless the client deprecated it.
  func prepare(_ sql: String, in session: any SQLSession) async throws {
    let prepared: (id: UInt32, statement: PreparedStatement)
    do throws(SQLFailure) {
      prepared = try await session.prepare(sql)
    } catch {
      try await writer.error(error)
      return
    }
    let (id, statement) = prepared
    guard statement.parameterCount <= Int(UInt16.max), statement.columns.count <= Int(UInt16.max)
    else {
      session.closeStatement(id)
      try await writer.error(.tooManyPlaceholders)
      return
    }
    if let replaced = statements.updateValue(OpenStatement(statement: statement), forKey: id) {
      logger.warning("the session reused open statement id \(id) (\(replaced.statement))")
    }
    try await packets.send(
      PreparedStatements.prepareOK(
        statementID: id, columns: UInt16(statement.columns.count),
        parameters: UInt16(statement.parameterCount), warnings: warnings))
    if statement.parameterCount > 0 {
      let parameter = ColumnDefinition(name: "?", type: .varString, length: 0, characterSet: 63)
      try await writer.definitions(
        Array(repeating: parameter.payload, count: statement.parameterCount),
        status: status(), warnings: warnings)
    }
    if !statement.columns.isEmpty {
      try await writer.definitions(
        statement.columns.map(\.payload), status: status(), warnings: warnings)
    }
  }

  /// `COM_STMT_EXECUTE`: the parameters read with the types the client sent now or with an
  /// earlier execute (and any long data sent since), the statement run, its result as binary
  /// rows. Parameters that cannot be read are answered with ERR 1210; the packet was whole, so
  /// the connection goes on.
  func execute(_ id: UInt32, payload: [UInt8], in session: any SQLSession) async throws {
    guard var open = statements[id] else {
      try await writer.error(.unknownStatement(id, in: "mysqld_stmt_execute"))
      return
    }
    let longData = open.longData
    open.longData = [:]
    let parameters: [BinaryValue]
    do {
      let parsed = try PreparedStatements.parameters(
        of: payload, count: open.statement.parameterCount, bound: open.types,
        longData: longData)
      open.types = parsed.types
      parameters = parsed.values
    } catch {
      statements[id] = open
      try await writer.error(.incorrectArguments(to: "mysqld_stmt_execute", error.description))
      return
    }
    statements[id] = open
    let result: SQLResult
    do throws(SQLFailure) {
      result = try await session.execute(statement: id, parameters: parameters)
    } catch {
      try await writer.error(error)
      return
    }
    try await writer.result(result, binary: true, status: status(), warnings: warnings)
  }
}
