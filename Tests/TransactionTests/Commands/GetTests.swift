import Foundation
import Testing

@testable import Transaction

@Suite struct GetTests {
  @Test func readsTheLatestValue() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(99), startTS: 50, commitTS: 54, bytes(42))
    let response = try await store.handler.get(getRequest(bytes(99), at: TSO.max))
    #expect(!response.hasRegionError)
    #expect(!response.hasError)
    #expect(response.value == bytes(42))
    #expect(!response.notFound)
  }

  @Test func repeatedReadsAgree() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(99), startTS: 50, commitTS: 54, bytes(42))
    for _ in 0..<3 {
      #expect(try await store.handler.get(getRequest(bytes(99), at: 100)).value == bytes(42))
    }
  }

  @Test func anEmptyStoreHasNothing() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.get(getRequest(bytes(100), at: TSO.max))
    #expect(!response.hasError)
    #expect(response.notFound)
  }

  @Test func aMissingKeyBetweenOthersIsNotFound() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(99), startTS: 50, commitTS: 54, bytes(42))
    try await store.putCommitted(bytes(101), startTS: 50, commitTS: 54, bytes(42))
    let response = try await store.handler.get(getRequest(bytes(100), at: TSO.max))
    #expect(!response.hasError)
    #expect(response.notFound)
  }

  @Test(
    arguments: [
      (UInt64(40), nil), (56, bytes(42)), (60, bytes(42)), (65, bytes(42)), (66, bytes(43)),
      (100, bytes(43)),
    ] as [(UInt64, Data?)])
  func readsTheVersionVisibleAtTheTimestamp(version: UInt64, expected: Data?) async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(99), startTS: 50, commitTS: 54, bytes(42))
    try await store.putCommitted(bytes(99), startTS: 60, commitTS: 66, bytes(43))
    try await store.putCommitted(bytes(99), startTS: 120, commitTS: 122, bytes(44))
    let response = try await store.handler.get(getRequest(bytes(99), at: version))
    #expect(!response.hasError)
    #expect(response.notFound == (expected == nil))
    #expect(response.value == expected ?? Data())
  }

  @Test(
    arguments: [
      (UInt64(54), bytes(42)), (60, bytes(42)), (65, bytes(42)), (66, nil), (67, nil),
      (122, bytes(44)),
    ] as [(UInt64, Data?)])
  func aDeleteHidesOlderVersions(version: UInt64, expected: Data?) async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(99), startTS: 50, commitTS: 54, bytes(42))
    try await store.putWrite(bytes(99), commitTS: 66, .delete, startTS: 60)
    try await store.putCommitted(bytes(99), startTS: 120, commitTS: 122, bytes(44))
    let response = try await store.handler.get(getRequest(bytes(99), at: version))
    #expect(!response.hasError)
    #expect(response.notFound == (expected == nil))
    #expect(response.value == expected ?? Data())
  }

  @Test func aLockFromBeforeTheReadIsReported() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(99), startTS: 50, commitTS: 54, bytes(42))
    try await store.putLock(bytes(99), primary: bytes(99), startTS: 200, ttl: 7)

    let before = try await store.handler.get(getRequest(bytes(99), at: 55))
    #expect(!before.hasError, "a lock taken after the read does not matter")
    #expect(before.value == bytes(42))

    let after = try await store.handler.get(getRequest(bytes(99), at: 300))
    #expect(!after.hasRegionError)
    #expect(after.error.hasLocked)
    #expect(after.error.locked.key == bytes(99))
    #expect(after.error.locked.primaryLock == bytes(99))
    #expect(after.error.locked.lockVersion == 200)
    #expect(after.error.locked.lockTtl == 7)
  }

  @Test func aLockOnlyLockDoesNotBlockReads() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(99), startTS: 50, commitTS: 54, bytes(42))
    try await store.putLock(bytes(99), primary: bytes(1), startTS: 60, kind: .lock)
    let response = try await store.handler.get(getRequest(bytes(99), at: 100))
    #expect(!response.hasError)
    #expect(response.value == bytes(42))
  }
}
