import Coprocessor
import Foundation
import Testing
import TipbProto

/// TinySQL's row format; bytes worked out by hand from its rules (`EncodedRow`'s comment).
struct EncodedRowTests {
  private func column(_ id: Int64, _ type: MySQLType, unsigned: Bool = false) -> Tipb_ColumnInfo {
    var column = Tipb_ColumnInfo()
    column.columnID = id
    column.tp = type.rawValue
    if unsigned { column.flag = MySQLType.unsignedFlag }
    return column
  }

  @Test("a small row: version, flag, counts, ids (not-null then null), end offsets, data")
  func smallRow() throws {
    let row = try EncodedRow.encode([(3, .null), (2, .bytes(Array("ab".utf8))), (1, .int(1))])
    #expect(
      row == [
        0x80, 0x00, 0x02, 0x00, 0x01, 0x00,  // version 128, small; 2 not null, 1 null
        0x01, 0x02, 0x03,  // ids: 1, 2 (not null), 3 (null)
        0x01, 0x00, 0x03, 0x00,  // column 1 ends at 1, column 2 at 3
        0x01, 0x61, 0x62,  // 1; "ab"
      ])
    let decoded = try EncodedRow(decoding: row)
    #expect(decoded.column(1) == .value([0x01]))
    #expect(decoded.column(3) == .null)
    #expect(decoded.column(4) == .absent)
    #expect(try decoded.datum(of: column(2, .varchar), handle: 9) == .bytes(Array("ab".utf8)))
    #expect(try decoded.datum(of: column(1, .long), handle: 9) == .int(1))
  }

  @Test("a large row: a column id over 255 makes ids and offsets 4 bytes each")
  func largeRow() throws {
    let row = try EncodedRow.encode([(300, .int(5))])
    #expect(
      row == [
        0x80, 0x01, 0x01, 0x00, 0x00, 0x00,  // version, large; 1 not null, 0 null
        0x2C, 0x01, 0x00, 0x00,  // id 300
        0x01, 0x00, 0x00, 0x00,  // ends at 1
        0x05,
      ])
    #expect(try EncodedRow(decoding: row).datum(of: column(300, .longlong), handle: 0) == .int(5))
  }

  @Test("integers take the fewest of 1, 2, 4 or 8 little-endian bytes; signed and unsigned")
  func integerWidths() throws {
    let cases: [(Datum, [UInt8])] = [
      (.int(127), [0x7F]), (.int(128), [0x80, 0x00]), (.int(-129), [0x7F, 0xFF]),
      (.int(40000), [0x40, 0x9C, 0x00, 0x00]), (.int(-1), [0xFF]),
      (.int(1 << 40), [0, 0, 0, 0, 0, 1, 0, 0]), (.uint(255), [0xFF]), (.uint(256), [0x00, 0x01]),
    ]
    for (datum, data) in cases {
      let row = try EncodedRow(decoding: try EncodedRow.encode([(1, datum)]))
      #expect(row.column(1) == .value(ArraySlice(data)), "\(datum)")
      let unsigned: Bool = if case .uint = datum { true } else { false }
      #expect(try row.datum(of: column(1, .longlong, unsigned: unsigned), handle: 0) == datum)
    }
  }

  @Test("the handle column, defaults for absent columns, floats, unsupported types")
  func columnsByType() throws {
    let row = try EncodedRow(decoding: try EncodedRow.encode([(2, .float(2.5))]))
    var pk = column(1, .long)
    pk.pkHandle = true
    #expect(try row.datum(of: pk, handle: -4) == .int(-4))
    #expect(try row.datum(of: column(2, .double), handle: 0) == .float(2.5))
    var added = column(3, .long)
    #expect(try row.datum(of: added, handle: 0) == .null)
    added.defaultVal = Data([0x08, 0x0E])  // value form: varint flag, zigzag 14 = 7
    #expect(try row.datum(of: added, handle: 0) == .int(7))
    #expect(throws: CodecError.self) { try row.datum(of: column(2, .newDecimal), handle: 0) }
  }

  @Test("broken rows are refused")
  func brokenRows() {
    #expect(throws: CodecError.self) { try EncodedRow(decoding: [0x7F, 0, 0, 0, 0, 0]) }
    #expect(throws: CodecError.self) { try EncodedRow(decoding: [0x80, 0, 1, 0, 0, 0, 1, 5, 0]) }
    #expect(throws: CodecError.self) { try EncodedRow.encode([(1, .maxValue)]) }
  }
}
