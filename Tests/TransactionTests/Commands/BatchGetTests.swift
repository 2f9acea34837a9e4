import Foundation
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct BatchGetTests {
  @Test func valuesLocksAndMissingKeys() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(1), startTS: 10, commitTS: 20, bytes(11))
    try await store.putCommitted(bytes(2), startTS: 10, commitTS: 20, bytes(12))
    try await store.putPrewritten(bytes(2), primary: bytes(2), startTS: 30, bytes(22))
    try await store.putCommitted(bytes(3), startTS: 40, commitTS: 50, bytes(13))
    try await store.putLock(bytes(4), primary: bytes(2), startTS: 30, kind: .lock)
    let response = try await store.handler.batchGet(
      batchGetRequest([bytes(1), bytes(2), bytes(3), bytes(4), bytes(5)], at: 35))
    #expect(!response.hasRegionError)
    // Key 3 was committed after the read, key 4 has no value: left out.
    #expect(response.pairs.map(\.key) == [bytes(1), bytes(2)])
    #expect(response.pairs[0].value == bytes(11) && !response.pairs[0].hasError)
    #expect(response.pairs[1].error.locked.lockVersion == 30)
    #expect(response.pairs[1].value.isEmpty)
  }

  @Test func aReadBeforeTheLockIsNotBlocked() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(2), startTS: 10, commitTS: 20, bytes(12))
    try await store.putPrewritten(bytes(2), primary: bytes(2), startTS: 30, bytes(22))
    let response = try await store.handler.batchGet(batchGetRequest([bytes(2)], at: 25))
    #expect(response.pairs.map(\.value) == [bytes(12)])
  }
}
