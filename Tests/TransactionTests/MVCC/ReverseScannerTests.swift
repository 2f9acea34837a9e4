import Foundation
import Randomness
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct ReverseScannerTests {
  /// Random keys (prefixes of one another, zero bytes), versions, deletes, rollbacks and locks:
  /// the reverse scan from every bound must be the forward scan reversed.
  @Test(arguments: [UInt64(0x5EED_0101), 0x5EED_0102, 0x5EED_0103])
  func reverseIsForwardReversed(seed: UInt64) async throws {
    var generator = SplitMix64(seed: seed)
    let store = try StoreFixture()
    var keys: Set<Data> = []
    for _ in 0..<40 {
      let count = Int.random(in: 0...3, using: &generator)
      keys.insert(Data((0..<count).map { _ in UInt8.random(in: 0...2, using: &generator) }))
    }
    var ts: UInt64 = 10
    for key in keys {
      for _ in 0..<Int.random(in: 1...3, using: &generator) {
        ts += 2
        switch Int.random(in: 0..<4, using: &generator) {
        case 0: try await store.putWrite(key, commitTS: ts + 1, .delete, startTS: ts)
        case 1: try await store.putWrite(key, commitTS: ts, .rollback, startTS: ts)
        case 2: try await store.putLock(key, primary: key, startTS: ts, kind: .put)
        default: try await store.putCommitted(key, startTS: ts, commitTS: ts + 1, key + [UInt8(ts)])
        }
      }
    }
    let reader = try await store.reader()
    for readTS in [ts / 2, ts + 10] {
      var forward = try Scanner(reader, from: Data(), at: readTS)
      let all = try forward.next(limit: .max)
      for upper in keys.sorted(by: { $0.lexicographicallyPrecedes($1) }) + [Data()] {
        var reverse = try ReverseScanner(reader, below: upper, at: readTS)
        let expected = all.filter { upper.isEmpty || $0.key.lexicographicallyPrecedes(upper) }
        #expect(
          try reverse.next(limit: .max) == expected.reversed(),
          "seed \(seed), read ts \(readTS), upper \(Array(upper))")
      }
    }
  }
}
