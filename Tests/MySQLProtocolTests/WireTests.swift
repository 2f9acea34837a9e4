import MySQLProtocol
import Testing

/// The protocol's encodings and framing, byte by byte as MySQL's documentation lays them out.
struct WireTests {
  @Test("length-encoded integers: one byte below 251, then 0xFC, 0xFD, 0xFE and 2, 3, 8 bytes")
  func lengthEncodedIntegers() throws {
    let cases: [(UInt64, [UInt8])] = [
      (0, [0x00]), (250, [0xFA]), (251, [0xFC, 0xFB, 0x00]), (65_535, [0xFC, 0xFF, 0xFF]),
      (65_536, [0xFD, 0x00, 0x00, 0x01]), (16_777_215, [0xFD, 0xFF, 0xFF, 0xFF]),
      (16_777_216, [0xFE, 0, 0, 0, 1, 0, 0, 0, 0]),
    ]
    for (value, bytes) in cases {
      var writer = PayloadWriter()
      writer.lengthEncoded(value)
      #expect(writer.bytes == bytes, "\(value)")
      var reader = PayloadReader(bytes)
      #expect(try reader.lengthEncoded() == value)
    }
    var null = PayloadReader([0xFB])
    #expect(try null.lengthEncoded() == nil)
    var short = PayloadReader([0xFC, 0x01])
    #expect(throws: MySQLProtocolError.self) { try short.lengthEncoded() }
    var long = PayloadReader([0x05, 0x61])
    #expect(throws: MySQLProtocolError.self) { try long.lengthEncodedBytes() }
  }

  @Test("a packet: 3-byte length, sequence id, payload; 16 MiB payloads split and rejoin")
  func framing() throws {
    let small = PacketFramer.frame([0x03, 0x41], sequence: 0)
    #expect(small.bytes == [0x02, 0x00, 0x00, 0x00, 0x03, 0x41])
    #expect(small.next == 1)

    // Exactly 16 MiB - 1 bytes: a full packet, then an empty one.
    let full = [UInt8](repeating: 7, count: PacketFramer.maxPayload)
    let framed = PacketFramer.frame(full, sequence: 3)
    #expect(framed.bytes.count == full.count + 8)
    #expect(Array(framed.bytes[full.count + 4..<full.count + 8]) == [0, 0, 0, 4])
    #expect(framed.next == 5)

    var decoder = PacketDecoder()
    // Arriving in awkward pieces: a packet's header split, then two packets in one read.
    decoder.append(small.bytes.prefix(2))
    #expect(try decoder.next() == nil)
    decoder.append(small.bytes.dropFirst(2) + PacketFramer.frame([9], sequence: 1).bytes)
    let first = try #require(try decoder.next())
    #expect(first.sequence == 0 && first.payload == [0x03, 0x41])
    let second = try #require(try decoder.next())
    #expect(second.sequence == 1 && second.payload == [9])
    #expect(try decoder.next() == nil)
    decoder.append(framed.bytes)
    let joined = try #require(try decoder.next())
    #expect(joined.payload.count == full.count && joined.sequence == 4)

    var strict = PacketDecoder(maxPayload: 4)
    strict.append(PacketFramer.frame([1, 2, 3, 4, 5], sequence: 0).bytes)
    #expect(throws: MySQLProtocolError.self) { try strict.next() }
  }

  @Test("OK, ERR and EOF packets")
  func responses() {
    #expect(
      ResponsePacket.ok(affectedRows: 3, lastInsertID: 300, status: .autocommit)
        == [0x00, 0x03, 0xFC, 0x2C, 0x01, 0x02, 0x00, 0x00, 0x00])
    #expect(
      ResponsePacket.error(code: 1146, sqlState: "42S02", message: "no t")
        == [0xFF, 0x7A, 0x04, 0x23] + Array("42S02no t".utf8))
    #expect(ResponsePacket.eof(status: .autocommit) == [0xFE, 0x00, 0x00, 0x02, 0x00])
    #expect(ResponsePacket.endOfRows(status: [])[0] == 0xFE)
  }

  @Test("a column definition and a text row with a NULL")
  func resultSet() {
    var column = ColumnDefinition(name: "id", type: .longlong, length: 20, characterSet: 63)
    column.flags = 1 | 2
    #expect(
      column.payload
        == [3] + Array("def".utf8) + [0, 0, 0, 2] + Array("id".utf8)
        + [0, 0x0C, 63, 0, 20, 0, 0, 0, 8, 3, 0, 0, 0, 0])
    #expect(TextRow.payload([Array("7".utf8), nil, []]) == [1, 0x37, 0xFB, 0])
    #expect(column.fieldListPayload == column.payload + [0xFB])
    #expect(
      TextRow.payload(
        [.int(-7), .null, .uint(.max), .double(1.0), .bytes([0x61])],
        types: [.longlong, .null, .longlong, .double, .varString])
        == [2] + Array("-7".utf8) + [0xFB, 20] + Array("18446744073709551615".utf8) + [1, 0x31]
        + [1, 0x61])
  }

  @Test("commands by their first byte")
  func commands() throws {
    #expect(try Command(parsing: [0x03] + Array("SELECT 1".utf8)) == .query("SELECT 1"))
    #expect(try Command(parsing: [0x02] + Array("test".utf8)) == .initDB("test"))
    #expect(try Command(parsing: [0x04] + Array("t".utf8) + [0]) == .fieldList(table: "t"))
    #expect(try Command(parsing: [0x0E]) == .ping)
    #expect(try Command(parsing: [0x01]) == .quit)
    #expect(try Command(parsing: [0x19, 7, 0, 0, 0]) == .closeStatement(7))
    #expect(try Command(parsing: [0x1F]) == .resetConnection)
    #expect(try Command(parsing: [0x1B, 1, 0]) == .setOption(1))
    #expect(
      try Command(parsing: [0x18, 7, 0, 0, 0, 2, 0, 0x61])
        == .sendLongData(statementID: 7, parameter: 2, data: [0x61]))
    #expect(try Command(parsing: [0x09]) == .unsupported(0x09))
    #expect(throws: MySQLProtocolError.self) { try Command(parsing: []) }
    #expect(throws: MySQLProtocolError.self) { try Command(parsing: [0x19, 7]) }
    #expect(throws: MySQLProtocolError.self) { try Command(parsing: [0x1B, 1]) }
    #expect(throws: MySQLProtocolError.self) { try Command(parsing: [0x18, 7, 0, 0, 0, 2]) }
  }
}
