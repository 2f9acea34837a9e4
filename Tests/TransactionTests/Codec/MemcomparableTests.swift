import Foundation
import Testing
import Randomness

@testable import Transaction

@Suite struct MemcomparableTests {
  @Test func encodesGroupsOfEightWithPaddingMarkers() {
    #expect(Memcomparable.encode(Data()) == bytes(0, 0, 0, 0, 0, 0, 0, 0, 0xF7))
    #expect(Memcomparable.encode(bytes(42)) == bytes(42, 0, 0, 0, 0, 0, 0, 0, 0xF8))
    #expect(Memcomparable.encode(bytes(42, 0, 5)) == bytes(42, 0, 5, 0, 0, 0, 0, 0, 0xFA))
    #expect(
      Memcomparable.encode(bytes(1, 2, 3, 4, 5, 6, 7, 8))
        == bytes(1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 0, 0, 0, 0, 0, 0, 0, 0, 0xF7))
    #expect(
      Memcomparable.encode(bytes(1, 2, 3, 4, 5, 6, 7, 8, 9))
        == bytes(1, 2, 3, 4, 5, 6, 7, 8, 0xFF, 9, 0, 0, 0, 0, 0, 0, 0, 0xF8))
  }

  @Test(arguments: [0, 1, 7, 8, 9, 15, 16, 17, 100])
  func roundTrips(length: Int) throws {
    var generator = SplitMix64(seed: UInt64(length))
    let key = Data((0..<length).map { _ in UInt8.random(in: 0...255, using: &generator) })
    let encoded = Memcomparable.encode(key)
    #expect(encoded.count == Memcomparable.encodedCount(length))
    #expect(try Memcomparable.decode(encoded) == key)
    // A slice with a non-zero start index decodes the same.
    let sliced = (bytes(9, 9) + encoded + bytes(1)).dropFirst(2)
    let (decoded, consumed) = try Memcomparable.decodePrefix(sliced)
    #expect(decoded == key)
    #expect(consumed == encoded.count)
  }

  @Test func keepsBytewiseOrderOfRandomKeys() {
    let seed: UInt64 = 0x5EED_0001
    var generator = SplitMix64(seed: seed)
    for _ in 0..<2000 {
      // Short keys over a tiny alphabet, so that prefixes and zero bytes are common.
      let a = Self.randomKey(using: &generator)
      let b = Self.randomKey(using: &generator)
      let plain = a.lexicographicallyPrecedes(b)
      let encoded = Memcomparable.encode(a).lexicographicallyPrecedes(Memcomparable.encode(b))
      #expect(plain == encoded, "seed \(seed): \(Array(a)) vs \(Array(b))")
    }
  }

  @Test func rejectsMalformedEncodings() {
    let malformed: [Data] = [
      Data(),
      bytes(1, 2, 3),  // truncated group
      bytes(0, 0, 0, 0, 0, 0, 0, 0, 0xF6),  // marker below 0xF7
      bytes(42, 1, 0, 0, 0, 0, 0, 0, 0xF8),  // non-zero padding
      bytes(1, 2, 3, 4, 5, 6, 7, 8, 0xFF),  // full group without a final group
      bytes(42, 0, 0, 0, 0, 0, 0, 0, 0xF8, 7),  // stray byte
    ]
    for data in malformed {
      #expect(throws: TransactionError.self, "\(Array(data))") { try Memcomparable.decode(data) }
    }
  }

  static func randomKey(using generator: inout SplitMix64) -> Data {
    let length = Int.random(in: 0...18, using: &generator)
    return Data((0..<length).map { _ in [0, 1, 0xFF][Int.random(in: 0...2, using: &generator)] })
  }
}
