import Foundation
import Testing
import TinyKVProto

@testable import RaftStore

@Suite struct EntryCacheTests {
  static func entries(_ range: ClosedRange<UInt64>, term: UInt64 = 6) -> [Eraftpb_Entry] {
    PeerStorageTests.entries(range, term: term)
  }

  @Test func servesOnlyRangesItHoldsWhole() {
    var cache = EntryCache(maxBytes: 1 << 20)
    cache.append(Self.entries(6...10))
    #expect(cache.entries(6, 11, maxSize: .max) == Self.entries(6...10))
    #expect(cache.entries(8, 9, maxSize: .max) == Self.entries(8...8))
    #expect(cache.entries(5, 7, maxSize: .max) == nil)
    #expect(cache.entries(9, 12, maxSize: .max) == nil)
    // The size limit cuts as the raft engine read does, keeping at least one entry.
    #expect(cache.entries(6, 11, maxSize: 1) == Self.entries(6...6))
  }

  @Test func overwrittenSuffixIsReplacedAndAGapStartsOver() {
    var cache = EntryCache(maxBytes: 1 << 20)
    cache.append(Self.entries(6...10))
    cache.append(Self.entries(8...9, term: 7))
    #expect(
      cache.entries(6, 10, maxSize: .max) == Self.entries(6...7) + Self.entries(8...9, term: 7))
    #expect(cache.entries(10, 11, maxSize: .max) == nil)
    cache.append(Self.entries(20...21))
    #expect(cache.entries(6, 7, maxSize: .max) == nil)
    #expect(cache.entries(20, 22, maxSize: .max) == Self.entries(20...21))
  }

  @Test func oldestEntriesAreEvictedDroppedOrCleared() {
    // Room for exactly the last three.
    var cache = EntryCache(
      maxBytes: Self.entries(8...10).reduce(0) { $0 + EntryCache.size(of: $1) })
    cache.append(Self.entries(6...10))
    #expect(cache.entries(7, 8, maxSize: .max) == nil)
    #expect(cache.entries(8, 11, maxSize: .max) == Self.entries(8...10))
    cache.drop(through: 8)
    #expect(cache.entries(8, 9, maxSize: .max) == nil)
    #expect(cache.entries(9, 11, maxSize: .max) == Self.entries(9...10))
    cache.clear()
    #expect(cache.entries(10, 11, maxSize: .max) == nil)
  }

  @Test func peerStorageServesRecentEntriesFromMemory() throws {
    let engines = try PeerStorageTests.Engines()
    let storage = try PeerStorageTests().storageWithEntriesToTen(engines)
    // Gone from the engine behind the storage's back: only the cache can answer.
    let batch = try engines.raftDB.makeWriteBatch()
    try batch.deleteRange(.default, from: Keys.raftLogKey(1, 6), to: Keys.raftLogKey(1, 11))
    try engines.raftDB.write(batch, sync: true)
    #expect(try storage.entries(6, 11, maxSize: .max) == Self.entries(6...10))
    #expect(try storage.term(7) == 6)
  }
}
