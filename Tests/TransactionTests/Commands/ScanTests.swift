import Foundation
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct ScanTests {
  /// TinyKV's scan fixture: keys committed before 100, after 100, started before 100 but committed
  /// after, and key 150 put, deleted, put again.
  func plantScanData(_ store: StoreFixture) async throws {
    let before: [(Data, UInt8)] = [
      (bytes(1), 50), (bytes(1, 23), 55), (bytes(3), 51), (bytes(3, 45), 56), (bytes(3, 46), 57),
      (bytes(3, 47), 58), (bytes(3, 48), 59), (bytes(4), 52), (bytes(120), 53), (bytes(199), 54),
    ]
    for (key, value) in before {
      try await store.putCommitted(key, startTS: 80, commitTS: 99, bytes(value))
    }
    for (key, value) in [
      (bytes(4, 45), 58), (bytes(4, 46), 57), (bytes(4, 47), 58), (bytes(4, 48), 59),
    ] as [(Data, UInt8)] {
      try await store.putCommitted(key, startTS: 110, commitTS: 116, bytes(value))
    }
    for (key, value) in [
      (bytes(5, 45), 60), (bytes(5, 46), 61), (bytes(5, 47), 62), (bytes(5, 48), 63),
    ] as [(Data, UInt8)] {
      try await store.putCommitted(key, startTS: 97, commitTS: 101, bytes(value))
    }
    try await store.putCommitted(bytes(150), startTS: 80, commitTS: 99, bytes(42))
    try await store.putWrite(bytes(150), commitTS: 101, .delete, startTS: 97)
    try await store.putCommitted(bytes(150), startTS: 110, commitTS: 116, bytes(64))
  }

  func scan(
    _ store: StoreFixture, from start: Data, limit: UInt32 = 10_000, at version: UInt64 = 100
  ) async throws -> [Kvrpcpb_KvPair] {
    let response = try await store.handler.scan(scanRequest(from: start, limit: limit, at: version))
    #expect(!response.hasRegionError)
    return response.pairs
  }

  @Test func aScanPastTheLastKeyIsEmpty() async throws {
    let store = try StoreFixture()
    try await plantScanData(store)
    #expect(try await scan(store, from: bytes(200)).isEmpty)
  }

  @Test func aZeroLimitReturnsNothing() async throws {
    let store = try StoreFixture()
    try await plantScanData(store)
    #expect(try await scan(store, from: bytes(3), limit: 0).isEmpty)
  }

  @Test func aScanSeesExactlyTheVersionsVisibleAtItsTimestamp() async throws {
    let store = try StoreFixture()
    try await plantScanData(store)
    let pairs = try await scan(store, from: bytes(0))
    #expect(pairs.count == 11)
    #expect(pairs.first?.key == bytes(1))
    #expect(pairs.first?.value == bytes(50))
    #expect(pairs.last?.key == bytes(199))
    #expect(pairs.last?.value == bytes(54))
    #expect(pairs.allSatisfy { !$0.hasError })
  }

  @Test func aScanStopsAtItsLimit() async throws {
    let store = try StoreFixture()
    try await plantScanData(store)
    let pairs = try await scan(store, from: bytes(2), limit: 6)
    #expect(
      pairs.map(\.key) == [
        bytes(3), bytes(3, 45), bytes(3, 46), bytes(3, 47), bytes(3, 48), bytes(4),
      ])
    #expect(pairs.first?.value == bytes(51))
    #expect(pairs.last?.value == bytes(52))
  }

  @Test func aScanFollowsDeletesAndReplacements() async throws {
    let store = try StoreFixture()
    try await plantScanData(store)
    let at100 = try await scan(store, from: bytes(100), at: 100)
    #expect(at100.map(\.key) == [bytes(120), bytes(150), bytes(199)])
    #expect(at100[1].value == bytes(42))

    let at105 = try await scan(store, from: bytes(100), at: 105)
    #expect(at105.map(\.key) == [bytes(120), bytes(199)])

    let at120 = try await scan(store, from: bytes(100), at: 120)
    #expect(at120.map(\.key) == [bytes(120), bytes(150), bytes(199)])
    #expect(at120[1].value == bytes(64))
  }

  @Test func aLockedKeyIsReportedInItsPairAndTheScanGoesOn() async throws {
    let store = try StoreFixture()
    try await plantScanData(store)
    // Blocks the read: an older transaction's lock on a committed key and on a new key.
    try await store.putLock(bytes(3, 46), primary: bytes(3, 46), startTS: 90, ttl: 5)
    try await store.putLock(bytes(3, 46, 1), primary: bytes(3, 46), startTS: 90, ttl: 5)
    // Does not block: a lock-only lock, and a lock taken after the read's timestamp.
    try await store.putLock(bytes(3, 47), primary: bytes(3, 47), startTS: 95, kind: .lock)
    try await store.putLock(bytes(3, 48), primary: bytes(3, 48), startTS: 150)

    let pairs = try await scan(store, from: bytes(3), limit: 7)
    #expect(
      pairs.map(\.key) == [
        bytes(3), bytes(3, 45), bytes(3, 46), bytes(3, 46, 1), bytes(3, 47), bytes(3, 48), bytes(4),
      ])
    #expect(pairs.map(\.hasError) == [false, false, true, true, false, false, false])
    #expect(pairs[2].error.locked.lockVersion == 90)
    #expect(pairs[2].error.locked.key == bytes(3, 46))
    #expect(pairs[3].error.locked.primaryLock == bytes(3, 46))
    #expect(pairs[4].value == bytes(58))
    #expect(pairs[5].value == bytes(59))
  }

  @Test func keysThatArePrefixesOfOthersScanInByteOrder() async throws {
    let store = try StoreFixture()
    let keys = [
      bytes(7), bytes(7, 0), bytes(7, 0, 0, 0, 0, 0, 0, 0, 0), bytes(7, 1),
      Data(repeating: 7, count: 9),
    ]
    for (index, key) in keys.enumerated() {
      try await store.putCommitted(key, startTS: 10, commitTS: 11, bytes(UInt8(index)))
      try await store.putCommitted(key, startTS: 20, commitTS: 21, bytes(UInt8(index + 100)))
    }
    let pairs = try await scan(store, from: Data(), at: 15)
    #expect(pairs.map(\.key) == keys)
    #expect(pairs.map(\.value) == (0..<keys.count).map { bytes(UInt8($0)) })
  }
}
