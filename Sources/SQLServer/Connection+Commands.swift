import MySQLProtocol

extension Connection {
  /// Answers one command.
  /// - Returns: false when the connection is to be closed (`COM_QUIT`).
  func handle(_ command: Command) async throws -> Bool {
    guard let session else { return false }
    switch command {
    case .quit:
      return false
    case .ping:
      try await writer.ok(status: status(), warnings: warnings)
    case .initDB(let name):
      do throws(SQLFailure) {
        try await session.useDatabase(name)
      } catch {
        try await writer.error(error)
        break
      }
      database = name
      try await writer.ok(status: status(), warnings: warnings)
    case .query(let sql):
      try await query(sql, in: session)
    case .fieldList(let table):
      let columns: [ColumnDefinition]
      do throws(SQLFailure) {
        columns = try await session.fieldList(table: table)
      } catch {
        try await writer.error(error)
        break
      }
      for column in columns { try await packets.send(column.fieldListPayload) }
      try await writer.end(status: status(), warnings: warnings)
    case .setOption(let option):
      guard option <= 1 else {
        try await writer.error(.unknownCommand)
        break
      }
      session.multiStatements = option == 0
      try await writer.end(status: status(), warnings: warnings)
    case .resetConnection:
      try await resetConnection()
    case .prepare(let sql):
      try await prepare(sql, in: session)
    case .execute(let id, let payload):
      try await execute(id, payload: payload, in: session)
    case .sendLongData(let id, let parameter, let data):
      statements[id]?.longData[Int(parameter), default: []] += data
    case .closeStatement(let id):
      if statements.removeValue(forKey: id) != nil { session.closeStatement(id) }
    case .resetStatement(let id):
      guard statements[id] != nil else {
        try await writer.error(.unknownStatement(id, in: "mysqld_stmt_reset"))
        break
      }
      statements[id]?.longData = [:]
      try await writer.ok(status: status(), warnings: warnings)
    case .unsupported(let code):
      logger.debug("unknown command 0x\(String(code, radix: 16))")
      try await writer.error(.unknownCommand)
    }
    return true
  }

  /// `COM_QUERY`: each statement's result, every one but the last flagged
  /// `SERVER_MORE_RESULTS_EXISTS`, then the failure if a statement failed. The flags and the
  /// warning count are the session's after the whole text has run.
  private func query(_ sql: String, in session: any SQLSession) async throws {
    let (results, failure) = await session.query(sql)
    for (index, result) in results.enumerated() {
      let more = index < results.count - 1 || failure != nil
      try await writer.result(result, binary: false, status: status(more: more), warnings: warnings)
    }
    if let failure {
      try await writer.error(failure)
    } else if results.isEmpty {
      try await writer.ok(status: status(), warnings: warnings)
    }
  }

  /// `COM_RESET_CONNECTION`: the session is closed (rolling back what it had open) and a fresh
  /// one made for the same user, with the database the handshake or `COM_INIT_DB` chose last
  /// (a database chosen with a `USE` statement is not known here, so not kept) and the same
  /// multi-statements setting; prepared statements are gone.
  private func resetConnection() async throws {
    guard let old = session, let info else { return }
    let multiStatements = old.multiStatements
    session = nil
    statements = [:]
    await old.close()
    let fresh = configuration.makeSession(info)
    fresh.multiStatements = multiStatements
    session = fresh
    if let database {
      do throws(SQLFailure) {
        try await fresh.useDatabase(database)
      } catch {
        try await writer.error(error)
        return
      }
    }
    try await writer.ok(status: status(), warnings: warnings)
  }
}
