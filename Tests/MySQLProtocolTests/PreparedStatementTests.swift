import MySQLProtocol
import Testing

/// The binary protocol of prepared statements, byte by byte.
struct PreparedStatementTests {
  @Test("COM_STMT_PREPARE_OK: status, statement id, columns, parameters, filler, warnings")
  func prepareOK() {
    #expect(
      PreparedStatements.prepareOK(statementID: 1, columns: 2, parameters: 3)
        == [0x00, 1, 0, 0, 0, 2, 0, 3, 0, 0x00, 0, 0])
  }

  /// An execute payload after the statement id: flags, iteration count, the NULL bitmap, then
  /// the types when `types` is given, then `values`.
  private func execute(nulls: UInt8, types: [UInt8]?, values: [UInt8]) -> [UInt8] {
    [0x00, 1, 0, 0, 0, nulls] + (types.map { [1] + $0 } ?? [0]) + values
  }

  @Test("parameters: integers signed and unsigned, NULLs by bitmap, strings, types kept")
  func parameters() throws {
    // (BIGINT 42, NULL varchar, VARCHAR "ab", TINY -1, unsigned BIGINT max, DOUBLE 2.5)
    let types: [UInt8] = [8, 0, 15, 0, 15, 0, 1, 0, 8, 0x80, 5, 0]
    var values: [UInt8] = [42, 0, 0, 0, 0, 0, 0, 0] + [2, 0x61, 0x62] + [0xFF]
    values += [UInt8](repeating: 0xFF, count: 8)
    values += withUnsafeBytes(of: (2.5).bitPattern.littleEndian, Array.init)
    let first = try PreparedStatements.parameters(
      of: execute(nulls: 0b10, types: types, values: values), count: 6, bound: nil)
    #expect(
      first.values == [
        .int(42), .null, .bytes([0x61, 0x62]), .int(-1), .uint(.max), .double(2.5),
      ])
    // The next execute leaves the types out and reuses them.
    let second = try PreparedStatements.parameters(
      of: execute(nulls: 0b11_1110, types: nil, values: [7, 0, 0, 0, 0, 0, 0, 0]), count: 6,
      bound: first.types)
    #expect(second.values == [.int(7), .null, .null, .null, .null, .null])
    #expect(throws: MySQLProtocolError.self) {
      try PreparedStatements.parameters(
        of: execute(nulls: 0, types: nil, values: []), count: 1, bound: nil)
    }
    // A DATETIME parameter arrives as its text (here the zero date: no fields sent).
    #expect(
      try PreparedStatements.parameters(
        of: execute(nulls: 0, types: [12, 0], values: [0]), count: 1, bound: nil
      ).values == [.bytes(Array("0000-00-00 00:00:00".utf8))])
    #expect(throws: MySQLProtocolError.self) {
      try PreparedStatements.parameters(
        of: execute(nulls: 0, types: [8, 0], values: [1, 2]), count: 1, bound: nil)
    }
    #expect(
      try PreparedStatements.parameters(of: [0, 1, 0, 0, 0], count: 0, bound: nil).values
        .isEmpty)
  }

  @Test("a binary row: 0x00, the NULL bitmap offset by two bits, the non-NULL values")
  func row() {
    #expect(
      PreparedStatements.row(
        [.int(1), .null, .bytes([0x78])], types: [.longlong, .varString, .varString])
        == [0x00, 0b0000_1000, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x78])
    // Seven columns need a second bitmap byte: bit 8 is the seventh column.
    let seven = PreparedStatements.row(
      Array(repeating: BinaryValue.null, count: 7), types: Array(repeating: .long, count: 7))
    #expect(seven == [0x00, 0b1111_1100, 0b0000_0001])
  }

  @Test("a binary row writes each integer in its column type's width, FLOAT in 4 bytes")
  func rowWidths() {
    let types: [ColumnType] = [.tiny, .short, .year, .int24, .long, .longlong, .float, .double]
    let values: [BinaryValue] = [
      .int(-1), .int(0x0102), .uint(2024), .int(-2), .uint(0x0102_0304), .int(-3), .double(1.5),
      .double(2.5),
    ]
    var expected: [UInt8] = [0x00, 0, 0, 0xFF, 0x02, 0x01, 0xE8, 0x07, 0xFE, 0xFF, 0xFF, 0xFF]
    expected += [0x04, 0x03, 0x02, 0x01] + [0xFD] + [UInt8](repeating: 0xFF, count: 7)
    expected += withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian, Array.init)
    expected += withUnsafeBytes(of: (2.5).bitPattern.littleEndian, Array.init)
    #expect(PreparedStatements.row(values, types: types) == expected)
  }

  @Test("a binary row converts a value of another kind than its column's type")
  func rowConversions() {
    // An integer in a string column is its text; a double too, as MySQL prints it; text in an
    // integer or double column is parsed; a value in a NULL column is NULL.
    #expect(
      PreparedStatements.row(
        [.int(-12), .double(0.5), .bytes(Array("7".utf8)), .bytes(Array("2.5".utf8)), .int(1)],
        types: [.varString, .blob, .tiny, .double, .null])
        == [0x00, 0b0100_0000]
        + [3] + Array("-12".utf8) + [3] + Array("0.5".utf8) + [7]
        + withUnsafeBytes(of: (2.5).bitPattern.littleEndian, Array.init))
    #expect(
      PreparedStatements.row([.double(2.6), .double(-1e30)], types: [.long, .longlong])
        == [0x00, 0, 3, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 0x80])
  }

  @Test("dates and times in a binary row, from their text")
  func rowTemporal() {
    func row(_ text: String, _ type: ColumnType) -> [UInt8] {
      Array(PreparedStatements.row([.bytes(Array(text.utf8))], types: [type]).dropFirst(2))
    }
    #expect(row("2024-05-06", .date) == [4, 0xE8, 0x07, 5, 6])
    #expect(row("2024-05-06 07:08:09", .date) == [4, 0xE8, 0x07, 5, 6])
    #expect(row("2024-05-06 00:00:00", .datetime) == [4, 0xE8, 0x07, 5, 6])
    #expect(row("2024-05-06 07:08:09", .datetime) == [7, 0xE8, 0x07, 5, 6, 7, 8, 9])
    #expect(
      row("2024-05-06 07:08:09.5", .timestamp)
        == [11, 0xE8, 0x07, 5, 6, 7, 8, 9, 0x20, 0xA1, 0x07, 0x00])
    #expect(row("0000-00-00 00:00:00", .datetime) == [0])
    #expect(row("not a date", .datetime) == [0])
    #expect(row("-838:59:59", .time) == [8, 1, 34, 0, 0, 0, 22, 59, 59])
    #expect(row("01:02:03.000001", .time) == [12, 0, 0, 0, 0, 0, 1, 2, 3, 1, 0, 0, 0])
    #expect(row("00:00:00", .time) == [0])
  }

  @Test("long data: a parameter sent ahead is left out of the execute and takes those bytes")
  func longData() throws {
    // (VARCHAR from long data, BIGINT 9)
    let payload = execute(nulls: 0, types: [15, 0, 8, 0], values: [9, 0, 0, 0, 0, 0, 0, 0])
    let parsed = try PreparedStatements.parameters(
      of: payload, count: 2, bound: nil, longData: [0: Array("abc".utf8)])
    #expect(parsed.values == [.bytes(Array("abc".utf8)), .int(9)])
  }
}
