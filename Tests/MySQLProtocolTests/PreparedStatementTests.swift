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
    #expect(throws: MySQLProtocolError.self) {
      try PreparedStatements.parameters(
        of: execute(nulls: 0, types: [12, 0], values: [0]), count: 1, bound: nil)
    }
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
      PreparedStatements.row([.int(1), .null, .bytes([0x78])])
        == [0x00, 0b0000_1000, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0x78])
    // Seven columns need a second bitmap byte: bit 8 is the seventh column.
    let seven = PreparedStatements.row(Array(repeating: BinaryValue.null, count: 7))
    #expect(seven == [0x00, 0b1111_1100, 0b0000_0001])
  }
}
