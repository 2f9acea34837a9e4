import Foundation
import Testing
import Randomness

@testable import Transaction

@Suite struct MvccKeyTests {
  @Test func appendsTheInvertedTimestampBigEndian() {
    #expect(
      MvccKey.encode(bytes(42), 0)
        == bytes(42, 0, 0, 0, 0, 0, 0, 0, 0xF8, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF))
    #expect(
      MvccKey.encode(bytes(42), ~UInt64(43_543_258_743_295))
        == bytes(42, 0, 0, 0, 0, 0, 0, 0, 0xF8, 0, 0, 39, 154, 52, 120, 65, 255))
    #expect(MvccKey.lockKey(bytes(42)) == Memcomparable.encode(bytes(42)))
  }

  @Test(arguments: [UInt64(0), 1, 99, 1 << 40, UInt64.max])
  func decodesUserKeyAndTimestamp(ts: UInt64) throws {
    for key in [Data(), bytes(42), bytes(42, 0, 5), Data(repeating: 7, count: 20)] {
      let encoded = MvccKey.encode(key, ts)
      let decoded = try MvccKey.decode(encoded)
      #expect(decoded.userKey == key)
      #expect(decoded.ts == ts)
      #expect(try MvccKey.timestamp(of: encoded) == ts)
      #expect(try MvccKey.encodedUserKey(of: encoded) == Memcomparable.encode(key))
    }
  }

  @Test func newerVersionsSortFirst() {
    let key = bytes(42)
    #expect(MvccKey.encode(key, 200).lexicographicallyPrecedes(MvccKey.encode(key, 100)))
    #expect(MvccKey.encode(key, .max).lexicographicallyPrecedes(MvccKey.encode(key, 0)))
  }

  @Test func versionsOfDifferentKeysNeverInterleave() {
    // The oldest version of a key sorts before the newest version of every greater key, including
    // keys it is a prefix of, keys that extend it with zero bytes, and keys across group edges.
    let pairs: [(Data, Data)] = [
      (bytes(42), bytes(200)),
      (bytes(42), bytes(42, 0)),
      (bytes(42), bytes(42, 0, 0, 0, 0, 0, 0, 0, 0)),
      (Data(), bytes(0)),
      (bytes(1, 2, 3, 4, 5, 6, 7), bytes(1, 2, 3, 4, 5, 6, 7, 8)),
      (bytes(1, 2, 3, 4, 5, 6, 7, 8), bytes(1, 2, 3, 4, 5, 6, 7, 8, 0)),
    ]
    for (smaller, greater) in pairs {
      let oldestOfSmaller = MvccKey.encode(smaller, 0)
      let newestOfGreater = MvccKey.encode(greater, .max)
      #expect(
        oldestOfSmaller.lexicographicallyPrecedes(newestOfGreater),
        "\(Array(smaller)) vs \(Array(greater))")
    }
  }

  @Test func randomVersionedKeysSortByKeyThenNewestFirst() {
    let seed: UInt64 = 0x5EED_0002
    var generator = SplitMix64(seed: seed)
    for _ in 0..<2000 {
      let a = (
        MemcomparableTests.randomKey(using: &generator), UInt64.random(in: 0...3, using: &generator)
      )
      let b = (
        MemcomparableTests.randomKey(using: &generator), UInt64.random(in: 0...3, using: &generator)
      )
      let expected = a.0 == b.0 ? a.1 > b.1 : a.0.lexicographicallyPrecedes(b.0)
      let actual = MvccKey.encode(a.0, a.1).lexicographicallyPrecedes(MvccKey.encode(b.0, b.1))
      #expect(actual == expected, "seed \(seed): \(a) vs \(b)")
    }
  }

  @Test func versionBoundsHoldExactlyOneKeysVersions() {
    let (lower, upper) = MvccKey.versionBounds(encodedUserKey: Memcomparable.encode(bytes(42)))
    for ts in [UInt64(0), 5, .max] {
      let key = MvccKey.encode(bytes(42), ts)
      #expect(!key.lexicographicallyPrecedes(lower))
      #expect(key.lexicographicallyPrecedes(upper))
    }
    for other in [bytes(41), bytes(42, 0), bytes(43), Data()] {
      for ts in [UInt64(0), .max] {
        let key = MvccKey.encode(other, ts)
        #expect(key.lexicographicallyPrecedes(lower) || !key.lexicographicallyPrecedes(upper))
      }
    }
  }

  @Test func rejectsKeysWithoutATimestamp() {
    #expect(throws: TransactionError.self) { try MvccKey.decode(Memcomparable.encode(bytes(1))) }
    #expect(throws: TransactionError.self) { try MvccKey.timestamp(of: bytes(1, 2, 3)) }
    #expect(throws: TransactionError.self) { try MvccKey.encodedUserKey(of: Data(count: 20)) }
  }
}
