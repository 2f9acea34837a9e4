import Foundation
import Testing

@testable import Transaction

@Suite struct ResolveLockTests {
  typealias Counts = StoreFixture.Counts

  /// Keys 3 and 7 locked by the transaction that started at 100, key 200 by the one at 110.
  func plantLocks(_ store: StoreFixture) async throws {
    try await store.putPrewritten(bytes(3), primary: bytes(3), startTS: 100, bytes(42))
    try await store.putPrewritten(bytes(7), primary: bytes(3), startTS: 100, bytes(43))
    try await store.putPrewritten(bytes(200), primary: bytes(200), startTS: 110, bytes(44))
  }

  /// Values of 100 with no locks: its writes are already resolved (and 201 has records).
  func plantResolved(_ store: StoreFixture) async throws {
    try await store.putValue(bytes(3), startTS: 100, bytes(42))
    try await store.putWrite(bytes(201), commitTS: 120, .put, startTS: 100)
    try await store.putValue(bytes(7), startTS: 100, bytes(43))
    try await store.putWrite(bytes(201), commitTS: 100, .rollback, startTS: 100)
    try await store.putPrewritten(bytes(200), primary: bytes(200), startTS: 110, bytes(44))
  }

  @Test func anEmptyResolveChangesNothing() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.resolveLock(resolveRequest(startTS: 0, commitTS: 0))
    #expect(!response.hasError)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))
  }

  @Test func commitsEveryLockOfTheTransaction() async throws {
    let store = try StoreFixture()
    try await plantLocks(store)
    let response = try await store.handler.resolveLock(resolveRequest(startTS: 100, commitTS: 120))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 3, lock: 1, write: 2))
    #expect(try store.write(bytes(3), commitTS: 120) == Write(startTS: 100, kind: .put))
    #expect(try store.write(bytes(7), commitTS: 120) == Write(startTS: 100, kind: .put))
    #expect(try store.lock(bytes(200))?.startTS == 110)
  }

  @Test func rollsBackEveryLockOfTheTransaction() async throws {
    let store = try StoreFixture()
    try await plantLocks(store)
    let response = try await store.handler.resolveLock(resolveRequest(startTS: 100, commitTS: 0))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 2))
    #expect(try store.write(bytes(3), commitTS: 100) == Write(startTS: 100, kind: .rollback))
    #expect(try store.write(bytes(7), commitTS: 100) == Write(startTS: 100, kind: .rollback))
    #expect(try store.value(bytes(200), startTS: 110) == bytes(44))
    #expect(try store.lock(bytes(200))?.startTS == 110)
  }

  @Test(arguments: [UInt64(120), 0])
  func anAlreadyResolvedTransactionChangesNothing(commitTS: UInt64) async throws {
    let store = try StoreFixture()
    try await plantResolved(store)
    let response = try await store.handler.resolveLock(
      resolveRequest(startTS: 100, commitTS: commitTS))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 3, lock: 1, write: 2))
    #expect(try store.write(bytes(201), commitTS: 120) == Write(startTS: 100, kind: .put))
    #expect(try store.write(bytes(201), commitTS: 100) == Write(startTS: 100, kind: .rollback))
  }
}
