import MySQLProtocol

/// Writes a command's answers in the form the client negotiated: OK, ERR, and result sets as
/// the column count, the column definitions, EOF (left out with `CLIENT_DEPRECATE_EOF`), the
/// rows (text for `COM_QUERY`, binary for `COM_STMT_EXECUTE`), then EOF or the OK that ends
/// rows.
struct ResultSetWriter {
  let packets: PacketChannel
  /// Whether the client asked for OK packets in place of EOF.
  let deprecateEOF: Bool

  func ok(
    affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0, info: String = "",
    status: ServerStatus, warnings: UInt16
  ) async throws {
    try await packets.send(
      ResponsePacket.ok(
        affectedRows: affectedRows, lastInsertID: lastInsertID, status: status,
        warnings: warnings, info: info))
  }

  func error(_ failure: SQLFailure) async throws {
    try await packets.send(
      ResponsePacket.error(
        code: failure.code, sqlState: failure.sqlState, message: failure.message))
  }

  /// The end of a group of definitions or of rows: EOF, or the OK with header 0xFE.
  func end(status: ServerStatus, warnings: UInt16) async throws {
    try await packets.send(
      deprecateEOF
        ? ResponsePacket.endOfRows(status: status, warnings: warnings)
        : ResponsePacket.eof(status: status, warnings: warnings))
  }

  /// Column (or parameter) definitions, then EOF unless the client deprecated it.
  func definitions(
    _ payloads: [[UInt8]], status: ServerStatus, warnings: UInt16
  ) async throws {
    for payload in payloads { try await packets.send(payload) }
    if !deprecateEOF {
      try await packets.send(ResponsePacket.eof(status: status, warnings: warnings))
    }
  }

  /// One statement's outcome; a result set whose rows do not match its columns is answered
  /// with ERR 1105 instead, before anything of it is written.
  func result(
    _ result: SQLResult, binary: Bool, status: ServerStatus, warnings: UInt16
  ) async throws {
    switch result {
    case .ok(let affectedRows, let lastInsertID, let info):
      try await ok(
        affectedRows: affectedRows, lastInsertID: lastInsertID, info: info, status: status,
        warnings: warnings)
    case .rows(let columns, _) where columns.isEmpty:
      // A result set needs a column; without one it is a statement without rows.
      try await ok(status: status, warnings: warnings)
    case .rows(let columns, let rows):
      if let bad = rows.firstIndex(where: { $0.count != columns.count }) {
        try await error(
          .internalError(
            "row \(bad + 1) has \(rows[bad].count) values for \(columns.count) columns"))
        return
      }
      try await packets.send(lengthEncoded(UInt64(columns.count)))
      try await definitions(columns.map(\.payload), status: status, warnings: warnings)
      let types = columns.map(\.type)
      for row in rows {
        try await packets.send(
          binary
            ? PreparedStatements.row(row, types: types) : TextRow.payload(row, types: types))
      }
      try await end(status: status, warnings: warnings)
    }
  }

  private func lengthEncoded(_ value: UInt64) -> [UInt8] {
    var writer = PayloadWriter()
    writer.lengthEncoded(value)
    return writer.bytes
  }
}
