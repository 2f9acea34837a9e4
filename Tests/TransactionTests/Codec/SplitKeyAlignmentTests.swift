import Engine
import Foundation
import Testing

@testable import Transaction

@Suite struct SplitKeyAlignmentTests {
  @Test(arguments: [
    Data(), Data("a".utf8), Data("exactly8".utf8), Data(repeating: 0xFF, count: 20),
  ])
  func versionedKeysGiveTheirEncodedUserKey(_ userKey: Data) {
    let encoded = Memcomparable.encode(userKey)
    for cf in [ColumnFamily.write, .default] {
      let split = MvccKey.splitKey(for: MvccKey.encode(userKey, 42), in: cf)
      #expect(split == encoded)
      // Every version of the key sorts at or after the split key: all go to the right.
      for ts: UInt64 in [0, 1, 42, .max] {
        #expect(!MvccKey.encode(userKey, ts).lexicographicallyPrecedes(split))
      }
    }
  }

  @Test func lockAndRawKeysAreKeptAsTheyAre() {
    let lock = MvccKey.lockKey(Data("user".utf8))
    #expect(MvccKey.splitKey(for: lock, in: .lock) == lock)
    for raw in ["k0000001234", "a", "", "not-an-encoding-but-17b"].map({ Data($0.utf8) }) {
      #expect(MvccKey.splitKey(for: raw, in: .default) == raw)
    }
    // The right length but not a valid encoding (bad marker): kept.
    let fake = Data(repeating: 0x41, count: 17)
    #expect(MvccKey.splitKey(for: fake, in: .write) == fake)
  }
}
