import Coprocessor
import Randomness
import Testing

/// TiDB's number and byte-string encodings (TinySQL's `util/codec`). Each fixture's bytes are
/// worked out by hand from the rule in its comment; the order tests check the property keys rely
/// on, with seeded random values.
struct CodecTests {
  private func encoded(_ append: (inout [UInt8]) -> Void) -> [UInt8] {
    var out: [UInt8] = []
    append(&out)
    return out
  }

  @Test("comparable integers: 8 big-endian bytes with the sign bit flipped")
  func comparableIntegers() throws {
    #expect(encoded { NumberCodec.appendInt(0, to: &$0) } == [0x80, 0, 0, 0, 0, 0, 0, 0])
    #expect(encoded { NumberCodec.appendInt(1, to: &$0) } == [0x80, 0, 0, 0, 0, 0, 0, 1])
    #expect(
      encoded { NumberCodec.appendInt(-1, to: &$0) } == [0x7F] + Array(repeating: 0xFF, count: 7))
    #expect(encoded { NumberCodec.appendInt(.min, to: &$0) } == Array(repeating: 0, count: 8))
    #expect(encoded { NumberCodec.appendUint(258, to: &$0) } == [0, 0, 0, 0, 0, 0, 1, 2])
    var reader = ByteReader(encoded { NumberCodec.appendInt(-42, to: &$0) })
    #expect(try reader.int() == -42)
    #expect(reader.isEmpty)
  }

  @Test(
    "comparable floats: a non-negative number's bits with the sign bit set, a negative one's inverted"
  )
  func comparableFloats() throws {
    // 1.0 is 0x3FF0_0000_0000_0000; with the sign bit: 0xBFF0...
    #expect(encoded { NumberCodec.appendFloat(1.0, to: &$0) } == [0xBF, 0xF0, 0, 0, 0, 0, 0, 0])
    // -1.0 is 0xBFF0_0000_0000_0000; inverted: 0x400F_FFFF_FFFF_FFFF.
    #expect(
      encoded { NumberCodec.appendFloat(-1.0, to: &$0) }
        == [0x40, 0x0F, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF])
    #expect(encoded { NumberCodec.appendFloat(0, to: &$0) } == [0x80, 0, 0, 0, 0, 0, 0, 0])
    for value in [0.0, -2.5, 3.25e300, -.infinity] {
      var reader = ByteReader(encoded { NumberCodec.appendFloat(value, to: &$0) })
      #expect(try reader.float() == value)
    }
  }

  @Test("varints are Go's: zigzag for signed, 7 bits a byte, least significant first")
  func varints() throws {
    let cases: [(Int64, [UInt8])] = [
      (0, [0x00]), (-1, [0x01]), (1, [0x02]), (63, [0x7E]), (-64, [0x7F]), (64, [0x80, 0x01]),
      // 300 zigzags to 600 = 0b100_1011000: 0x58 | 0x80, then 0b100.
      (300, [0xD8, 0x04]),
    ]
    for (value, bytes) in cases {
      #expect(encoded { NumberCodec.appendVarint(value, to: &$0) } == bytes, "\(value)")
      var reader = ByteReader(bytes)
      #expect(try reader.varint() == value)
    }
    #expect(encoded { NumberCodec.appendUvarint(300, to: &$0) } == [0xAC, 0x02])
    for value: Int64 in [.min, .max] {
      var reader = ByteReader(encoded { NumberCodec.appendVarint(value, to: &$0) })
      #expect(try reader.varint() == value)
    }
  }

  @Test("memcomparable bytes: groups of 8, zero padding, a marker of 0xFF minus the padding")
  func comparableBytes() throws {
    #expect(encoded { BytesCodec.appendComparable([], to: &$0) } == [0, 0, 0, 0, 0, 0, 0, 0, 0xF7])
    #expect(
      encoded { BytesCodec.appendComparable(Array("abc".utf8), to: &$0) }
        == [0x61, 0x62, 0x63, 0, 0, 0, 0, 0, 0xFA])
    // Exactly 8 bytes: a full group (marker 0xFF), then an all-padding group.
    #expect(
      encoded { BytesCodec.appendComparable(Array("12345678".utf8), to: &$0) }
        == Array("12345678".utf8) + [0xFF] + [0, 0, 0, 0, 0, 0, 0, 0, 0xF7])
    for text in ["", "abc", "12345678", "a longer string over two groups"] {
      var reader = ByteReader(encoded { BytesCodec.appendComparable(Array(text.utf8), to: &$0) })
      #expect(try reader.comparableBytes() == Array(text.utf8))
      #expect(reader.isEmpty)
    }
  }

  @Test("compact bytes: a varint length, then the bytes")
  func compactBytes() throws {
    #expect(
      encoded { BytesCodec.appendCompact(Array("abc".utf8), to: &$0) } == [0x06, 0x61, 0x62, 0x63])
    var reader = ByteReader([0x06, 0x61, 0x62, 0x63, 0x99])
    #expect(try reader.compactBytes() == Array("abc".utf8))
    #expect(Array(reader.bytes) == [0x99])
  }

  @Test("broken input is refused with a reason, never read past")
  func brokenInput() {
    var short = ByteReader([0x80, 0, 0])
    #expect(throws: CodecError.self) { try short.int() }
    var badMarker = ByteReader([0x61, 0, 0, 0, 0, 0, 0, 0, 0xF0])
    #expect(throws: CodecError.self) { try badMarker.comparableBytes() }
    var badPadding = ByteReader([0x61, 0, 0, 0, 0, 0, 1, 0, 0xF8])
    #expect(throws: CodecError.self) { try badPadding.comparableBytes() }
    var unterminated = ByteReader([0x61, 0x62, 0x63, 0x64, 0x65, 0x66, 0x67, 0x68, 0xFF])
    #expect(throws: CodecError.self) { try unterminated.comparableBytes() }
    var overflow = ByteReader(Array(repeating: 0xFF, count: 10) + [0x01])
    #expect(throws: CodecError.self) { try overflow.uvarint() }
    var tenth = ByteReader(Array(repeating: 0xFF, count: 9) + [0x02])
    #expect(throws: CodecError.self) { try tenth.uvarint() }
    var negativeLength = ByteReader([0x01, 0x61])
    #expect(throws: CodecError.self) { try negativeLength.compactBytes() }
    var longLength = ByteReader([0x08, 0x61])
    #expect(throws: CodecError.self) { try longLength.compactBytes() }
  }

  @Test("comparable forms sort as their values do", arguments: [UInt64(7), 42, 20261207])
  func comparableOrder(seed: UInt64) {
    var random = SplitMix64(seed: seed)
    for _ in 0..<500 {
      let (a, b) = (Int64(bitPattern: random.next()), Int64(bitPattern: random.next()))
      let (x, y) = (
        encoded { NumberCodec.appendInt(a, to: &$0) }, encoded { NumberCodec.appendInt(b, to: &$0) }
      )
      #expect(x.lexicographicallyPrecedes(y) == (a < b), "seed \(seed): \(a) vs \(b)")
      let (f, g) = (Double(a) / 7, Double(b) * 1e-300)
      let (p, q) = (
        encoded { NumberCodec.appendFloat(f, to: &$0) },
        encoded { NumberCodec.appendFloat(g, to: &$0) }
      )
      #expect(p.lexicographicallyPrecedes(q) == (f < g), "seed \(seed): \(f) vs \(g)")
      let s = (0..<Int(random.next() % 20)).map { _ in UInt8(random.next() % 4) }
      let t = (0..<Int(random.next() % 20)).map { _ in UInt8(random.next() % 4) }
      let (m, n) = (
        encoded { BytesCodec.appendComparable(s, to: &$0) },
        encoded { BytesCodec.appendComparable(t, to: &$0) }
      )
      #expect(
        m.lexicographicallyPrecedes(n) == s.lexicographicallyPrecedes(t),
        "seed \(seed): \(s) vs \(t)")
    }
  }
}
