import Coprocessor
import Randomness
import Testing

/// Datums in their two forms and the keys TinySQL puts rows and index entries under; bytes
/// worked out by hand from TinySQL's `util/codec` and `tablecodec` rules.
struct TableKeysTests {
  private func value(_ datum: Datum) -> [UInt8] {
    var out: [UInt8] = []
    DatumCodec.append(datum, as: .value, to: &out)
    return out
  }

  private func key(_ datum: Datum) -> [UInt8] {
    var out: [UInt8] = []
    DatumCodec.append(datum, as: .key, to: &out)
    return out
  }

  @Test(
    "value form: a flag (8 varint, 9 uvarint, 2 compact bytes, 5 float, 0 null), then the value")
  func valueForm() throws {
    #expect(value(.int(-1)) == [0x08, 0x01])
    #expect(value(.uint(300)) == [0x09, 0xAC, 0x02])
    #expect(value(.bytes(Array("ab".utf8))) == [0x02, 0x04, 0x61, 0x62])
    #expect(value(.float(1.0)) == [0x05, 0xBF, 0xF0, 0, 0, 0, 0, 0, 0])
    #expect(value(.null) == [0x00])
    var reader = ByteReader(value(.int(-7)) + value(.bytes([1, 2])) + value(.null))
    #expect(try reader.datum() == .int(-7))
    #expect(try reader.datum() == .bytes([1, 2]))
    #expect(try reader.datum() == .null)
    #expect(reader.isEmpty)
  }

  @Test("key form: a flag (3 int, 4 uint, 1 memcomparable bytes), then the comparable value")
  func keyForm() throws {
    #expect(key(.int(-1)) == [0x03, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    #expect(key(.uint(1)) == [0x04, 0, 0, 0, 0, 0, 0, 0, 1])
    #expect(key(.bytes(Array("ab".utf8))) == [0x01, 0x61, 0x62, 0, 0, 0, 0, 0, 0, 0xF9])
    #expect(key(.minNotNull) == [0x01])
    #expect(key(.maxValue) == [0xFA])
    var reader = ByteReader(key(.uint(9)) + key(.bytes([7])))
    #expect(try reader.datum() == .uint(9))
    #expect(try reader.datum() == .bytes([7]))
    var unsupported = ByteReader([0x06, 0x01])
    #expect(throws: CodecError.self) { try unsupported.datum() }
  }

  @Test("a row key: t, the table id, _r, the handle, ids comparable")
  func recordKey() throws {
    let key = TableKeys.record(table: 1, handle: 2)
    #expect(key == [0x74, 0x80, 0, 0, 0, 0, 0, 0, 1, 0x5F, 0x72, 0x80, 0, 0, 0, 0, 0, 0, 2])
    #expect(try TableKeys.decodeRecord(key) == (table: 1, handle: 2))
    #expect(Array(key.prefix(11)) == TableKeys.recordPrefix(table: 1))
    #expect(throws: CodecError.self) { try TableKeys.decodeRecord(key.dropLast()) }
    #expect(throws: CodecError.self) {
      try TableKeys.decodeRecord(TableKeys.index(table: 1, index: 2, values: []))
    }
  }

  @Test("an index key: t, the table id, _i, the index id, the values in key form")
  func indexKey() throws {
    let key = TableKeys.index(table: 1, index: 3, values: [.int(-1), .int(5)])
    let expected: [UInt8] =
      [0x74, 0x80, 0, 0, 0, 0, 0, 0, 1, 0x5F, 0x69, 0x80, 0, 0, 0, 0, 0, 0, 3]
      + [0x03, 0x7F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF]
      + [0x03, 0x80, 0, 0, 0, 0, 0, 0, 5]
    #expect(key == expected)
    let decoded = try TableKeys.decodeIndex(key)
    #expect(decoded.table == 1 && decoded.index == 3 && decoded.values == [.int(-1), .int(5)])
  }

  @Test(
    "index keys sort as their values; a table's rows sort by handle", arguments: [UInt64(3), 99])
  func keyOrder(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    for _ in 0..<300 {
      let (a, b) = (Int64(bitPattern: random.next()), Int64(bitPattern: random.next()))
      let (x, y) = (
        TableKeys.index(table: 5, index: 1, values: [.int(a)]),
        TableKeys.index(table: 5, index: 1, values: [.int(b)])
      )
      #expect(x.lexicographicallyPrecedes(y) == (a < b), "seed \(seed): \(a) vs \(b)")
      let (r, s) = (TableKeys.record(table: 5, handle: a), TableKeys.record(table: 5, handle: b))
      #expect(r.lexicographicallyPrecedes(s) == (a < b), "seed \(seed): \(a) vs \(b)")
    }
    // NULL before every value, the minimum bound before every value too, the maximum after all.
    let null = TableKeys.index(table: 5, index: 1, values: [.null])
    let low = TableKeys.index(table: 5, index: 1, values: [.minNotNull])
    let high = TableKeys.index(table: 5, index: 1, values: [.maxValue])
    let some = TableKeys.index(table: 5, index: 1, values: [.int(.min)])
    #expect(null.lexicographicallyPrecedes(low) && low.lexicographicallyPrecedes(some))
    #expect(some.lexicographicallyPrecedes(high))
  }
}
