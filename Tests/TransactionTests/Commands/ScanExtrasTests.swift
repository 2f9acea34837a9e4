import Foundation
import Testing
import TinyKVProto

@testable import Transaction

/// TiKV's scan extras: end_key, key_only, reverse.
@Suite struct ScanExtrasTests {
  /// Keys 1...6 committed with value 10 + key, key 4 deleted, key 5 locked at 30.
  func store() async throws -> StoreFixture {
    let store = try StoreFixture()
    for key in UInt8(1)...6 {
      try await store.putCommitted(bytes(key), startTS: 10, commitTS: 20, bytes(10 + key))
    }
    try await store.putWrite(bytes(4), commitTS: 25, .delete, startTS: 22)
    try await store.putPrewritten(bytes(5), primary: bytes(5), startTS: 30, bytes(55))
    return store
  }

  func scan(
    _ store: StoreFixture, from start: Data, to end: Data = Data(), limit: UInt32 = 10,
    reverse: Bool = false, keyOnly: Bool = false
  ) async throws -> [Kvrpcpb_KvPair] {
    var request = scanRequest(from: start, limit: limit, at: 40)
    request.endKey = end
    request.reverse = reverse
    request.keyOnly = keyOnly
    return try await store.handler.scan(request).pairs
  }

  @Test func forwardStopsBeforeEndKey() async throws {
    let store = try await store()
    let pairs = try await scan(store, from: bytes(2), to: bytes(5))
    #expect(pairs.map(\.key) == [bytes(2), bytes(3)])
    #expect(pairs.map(\.value) == [bytes(12), bytes(13)])
  }

  @Test func keyOnlyLeavesValuesEmpty() async throws {
    let store = try await store()
    let pairs = try await scan(store, from: Data(), keyOnly: true)
    #expect(pairs.map(\.key) == [bytes(1), bytes(2), bytes(3), bytes(5), bytes(6)])
    #expect(pairs.allSatisfy { $0.value.isEmpty })
    #expect(pairs[3].error.locked.lockVersion == 30)
  }

  @Test("a forward key-only scan does not read the values at all")
  func keyOnlyDoesNotReadValues() async throws {
    let store = try await store()
    // A committed put whose value is missing: reading it is a corrupt record.
    try await store.putWrite(bytes(7), commitTS: 20, .put, startTS: 10)
    await #expect(throws: TransactionError.self) { try await scan(store, from: bytes(6)) }
    let keys = try await scan(store, from: bytes(6), keyOnly: true)
    #expect(keys.map(\.key) == [bytes(6), bytes(7)])
  }

  @Test func reverseGoesDownFromBelowStartToEndInclusive() async throws {
    let store = try await store()
    let pairs = try await scan(store, from: bytes(6), to: bytes(2), reverse: true)
    #expect(pairs.map(\.key) == [bytes(5), bytes(3), bytes(2)])
    #expect(pairs[0].error.locked.lockVersion == 30)
    #expect(pairs[1].value == bytes(13))
  }

  @Test func reverseWithoutBoundsSeesEverythingAndHonoursTheLimit() async throws {
    let store = try await store()
    let all = try await scan(store, from: Data(), reverse: true)
    #expect(all.map(\.key) == [bytes(6), bytes(5), bytes(3), bytes(2), bytes(1)])
    let two = try await scan(store, from: Data(), limit: 2, reverse: true)
    #expect(two.map(\.key) == [bytes(6), bytes(5)])
  }

  @Test func reverseHandlesPrefixKeys() async throws {
    let store = try StoreFixture()
    let keys = [bytes(1), bytes(1, 0), bytes(1, 0, 0), bytes(1, 1), bytes(2)]
    for key in keys { try await store.putCommitted(key, startTS: 10, commitTS: 20, key) }
    let pairs = try await scan(store, from: bytes(2), to: bytes(1, 0), reverse: true)
    #expect(pairs.map(\.key) == [bytes(1, 1), bytes(1, 0, 0), bytes(1, 0)])
    #expect(pairs.map(\.value) == pairs.map(\.key))
  }
}
