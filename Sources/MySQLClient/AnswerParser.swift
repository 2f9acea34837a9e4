import MySQLProtocol

/// Reads a whole answer's packets (as ``AnswerAssembler`` collected them) into values: OK, ERR
/// and EOF packets, column definitions, text and binary rows.
enum AnswerParser {
  /// The results of `COM_QUERY` or `COM_STMT_EXECUTE` (several when the server said more
  /// follow), rows read as text or binary.
  /// - Throws: the server's ERR as `MySQLError.server`, `MySQLError.malformed` for bytes that
  ///   do not parse.
  static func results(_ packets: [[UInt8]], binary: Bool) throws(MySQLError) -> [MySQLResult] {
    var results: [MySQLResult] = []
    var index = 0
    while index < packets.count {
      let first = packets[index]
      index += 1
      if first.first == 0xFF { throw error(first) }
      if first.first == 0x00 {
        results.append(try ok(first))
        continue
      }
      var reader = self.reader(first)
      let count = Int(try lengthEncoded(&reader))
      var result = MySQLResult()
      guard packets.count >= index + count + 1 else { throw .malformed("a result set cut short") }
      result.columns = try packets[index..<index + count].map(column)
      index += count + 1  // the definitions and their EOF
      while index < packets.count {
        let packet = packets[index]
        index += 1
        if packet.first == 0xFF { throw error(packet) }
        if isEnd(packet) {
          (result.warnings, result.status) = try endStatus(packet)
          break
        }
        result.rows.append(
          binary ? try binaryRow(packet, result.columns) : try textRow(packet, count))
      }
      results.append(result)
    }
    return results
  }

  /// The answer to `COM_STMT_PREPARE`.
  static func statement(_ packets: [[UInt8]]) throws(MySQLError) -> MySQLStatement {
    guard let first = packets.first else { throw .malformed("an empty answer") }
    if first.first == 0xFF { throw error(first) }
    var reader = self.reader(first)
    let (id, columns, parameters) = try wrap { () throws(MySQLProtocolError) in
      _ = try reader.int1()
      return (try reader.int4(), Int(try reader.int2()), Int(try reader.int2()))
    }
    // After the first packet: the parameters' definitions and EOF, then the columns' and EOF.
    let columnStart = 1 + (parameters > 0 ? parameters + 1 : 0)
    guard packets.count >= columnStart + (columns > 0 ? columns + 1 : 0) else {
      throw .malformed("a prepare answer cut short")
    }
    return MySQLStatement(
      id: id, parameterCount: parameters,
      columns: try packets[columnStart..<columnStart + columns].map(column))
  }

  /// The login's verdict or a simple command's answer: OK, or the ERR thrown.
  static func ok(_ packet: [UInt8]) throws(MySQLError) -> MySQLResult {
    if packet.first == 0xFF { throw error(packet) }
    var reader = self.reader(packet)
    return try wrap { () throws(MySQLProtocolError) in
      guard try reader.int1() != 0xFF else { throw MySQLProtocolError("unreachable") }
      var result = MySQLResult()
      result.affectedRows = try reader.lengthEncoded() ?? 0
      result.lastInsertID = try reader.lengthEncoded() ?? 0
      result.status = ServerStatus(rawValue: try reader.int2())
      result.warnings = try reader.int2()
      return result
    }
  }

  /// An ERR packet as the error it reports.
  static func error(_ packet: [UInt8]) -> MySQLError {
    var reader = self.reader(packet)
    do {
      _ = try reader.int1()
      let code = try reader.int2()
      var state = "HY000"
      if reader.remaining > 0, reader.bytes[reader.offset] == UInt8(ascii: "#") {
        _ = try reader.int1()
        state = String(decoding: try reader.take(5), as: UTF8.self)
      }
      return .server(
        code: code, sqlState: state, message: String(decoding: reader.rest(), as: UTF8.self))
    } catch {
      return .malformed("an ERR packet cut short")
    }
  }

  // MARK: Shape (for AnswerAssembler)

  /// An EOF packet, or an OK with header 0xFE ending rows: a row never starts with 0xFE unless
  /// its first value is 16 MiB or more, in a packet of the largest size.
  static func isEnd(_ packet: [UInt8]) -> Bool {
    packet.first == 0xFE && packet.count < PacketFramer.maxPayload
  }

  /// Whether an OK packet's status says another result follows.
  static func moreResults(afterOK packet: [UInt8]) -> Bool {
    (try? ok(packet).status.contains(.moreResultsExist)) ?? false
  }

  /// Whether the EOF (or OK) ending rows says another result follows.
  static func moreResults(afterEnd packet: [UInt8]) -> Bool {
    (try? endStatus(packet).status.contains(.moreResultsExist)) ?? false
  }

  // MARK: Pieces

  static func reader(_ packet: [UInt8]) -> PayloadReader { PayloadReader(packet) }

  static func lengthEncoded(_ reader: inout PayloadReader) throws(MySQLError) -> UInt64 {
    try wrap { () throws(MySQLProtocolError) in try reader.lengthEncoded() ?? 0 }
  }

  /// The warnings and status of an EOF (5 bytes) or of an OK with header 0xFE.
  private static func endStatus(
    _ packet: [UInt8]
  ) throws(MySQLError) -> (warnings: UInt16, status: ServerStatus) {
    if packet.count == 5 {
      var reader = self.reader(packet)
      return try wrap { () throws(MySQLProtocolError) in
        _ = try reader.int1()
        let warnings = try reader.int2()
        return (warnings, ServerStatus(rawValue: try reader.int2()))
      }
    }
    let result = try ok(packet)
    return (result.warnings, result.status)
  }

  /// A column definition (Protocol::ColumnDefinition41).
  static func column(_ packet: [UInt8]) throws(MySQLError) -> MySQLColumn {
    var reader = self.reader(packet)
    return try wrap { () throws(MySQLProtocolError) in
      guard try reader.lengthEncodedBytes() == Array("def".utf8) else {
        throw MySQLProtocolError("not a column definition")
      }
      _ = try reader.lengthEncodedBytes()  // schema
      let table = String(decoding: try reader.lengthEncodedBytes() ?? [], as: UTF8.self)
      _ = try reader.lengthEncodedBytes()  // original table
      let name = String(decoding: try reader.lengthEncodedBytes() ?? [], as: UTF8.self)
      _ = try reader.lengthEncodedBytes()  // original name
      _ = try reader.lengthEncoded()  // length of the fixed fields
      _ = try reader.int2()  // character set
      _ = try reader.int4()  // length
      let code = try reader.int1()
      guard let type = ColumnType(rawValue: code) else {
        throw MySQLProtocolError("column type \(code) is not a MySQL type")
      }
      return MySQLColumn(name: name, table: table, type: type, flags: try reader.int2())
    }
  }

  /// A text row: each value as the bytes of its text, NULL as `.null`.
  static func textRow(_ packet: [UInt8], _ count: Int) throws(MySQLError) -> [BinaryValue] {
    var reader = self.reader(packet)
    return try wrap { () throws(MySQLProtocolError) in
      var row: [BinaryValue] = []
      row.reserveCapacity(count)
      for _ in 0..<count {
        if let bytes = try reader.lengthEncodedBytes() {
          row.append(.bytes(bytes))
        } else {
          row.append(.null)
        }
      }
      return row
    }
  }

  /// A binary row: 0x00, the NULL bitmap (offset 2), then each value in its column type's form.
  static func binaryRow(
    _ packet: [UInt8], _ columns: [MySQLColumn]
  ) throws(MySQLError) -> [BinaryValue] {
    var reader = self.reader(packet)
    return try wrap { () throws(MySQLProtocolError) in
      guard try reader.int1() == 0 else { throw MySQLProtocolError("not a binary row") }
      let bitmap = try reader.take((columns.count + 9) / 8)
      var row: [BinaryValue] = []
      row.reserveCapacity(columns.count)
      for (index, column) in columns.enumerated() {
        if bitmap[(index + 2) / 8] & (1 << UInt8((index + 2) % 8)) != 0 {
          row.append(.null)
        } else {
          row.append(try BinaryField.read(column, from: &reader))
        }
      }
      return row
    }
  }

  /// Runs a read of MySQLProtocol's, its errors as `MySQLError.malformed`.
  static func wrap<T>(
    _ body: () throws(MySQLProtocolError) -> T
  ) throws(MySQLError) -> T {
    do { return try body() } catch { throw .malformed(error.description) }
  }
}
