import Foundation
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct CheckSecondaryLocksTests {
  typealias Counts = StoreFixture.Counts
  let startTS: UInt64 = 100

  @Test func prewrittenLocksAreReported() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: startTS, bytes(1))
    try await store.putPrewritten(bytes(4), primary: bytes(1), startTS: startTS, bytes(2))
    let response = try await store.handler.checkSecondaryLocks(
      checkSecondaryRequest([bytes(3), bytes(4)], startTS: startTS))
    #expect(response.locks.map(\.key) == [bytes(3), bytes(4)])
    #expect(response.commitTs == 0)
    #expect(try store.counts() == Counts(default: 2, lock: 2, write: 0))
  }

  @Test func aCommittedKeyReportsTheCommitTS() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: startTS, bytes(1))
    try await store.putCommitted(bytes(4), startTS: startTS, commitTS: 120, bytes(2))
    let response = try await store.handler.checkSecondaryLocks(
      checkSecondaryRequest([bytes(3), bytes(4)], startTS: startTS))
    #expect(response.locks.isEmpty)
    #expect(response.commitTs == 120)
  }

  @Test func aMissingKeyGetsARollbackSoTheTransactionCannotCommit() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: startTS, bytes(1))
    let response = try await store.handler.checkSecondaryLocks(
      checkSecondaryRequest([bytes(3), bytes(4)], startTS: startTS))
    #expect(response.locks.isEmpty && response.commitTs == 0)
    #expect(try store.write(bytes(4), commitTS: startTS)?.kind == .rollback)
    let late = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(4), .put, bytes(9))], startTS: startTS))
    #expect(late.errors.first?.abort.isEmpty == false)
  }

  @Test func anotherTransactionsLockCountsAsMissing() async throws {
    let store = try StoreFixture()
    try await store.putLock(bytes(4), primary: bytes(4), startTS: 90)
    let response = try await store.handler.checkSecondaryLocks(
      checkSecondaryRequest([bytes(4)], startTS: startTS))
    #expect(response.locks.isEmpty && response.commitTs == 0)
    #expect(try store.write(bytes(4), commitTS: startTS)?.kind == .rollback)
    #expect(try store.lock(bytes(4))?.startTS == 90)
  }

  @Test func aPessimisticLockIsRolledBack() async throws {
    let store = try StoreFixture()
    _ = try await store.handler.pessimisticLock(
      pessimisticLockRequest([bytes(4)], startTS: startTS, forUpdateTS: startTS))
    let response = try await store.handler.checkSecondaryLocks(
      checkSecondaryRequest([bytes(4)], startTS: startTS))
    #expect(response.locks.isEmpty && response.commitTs == 0)
    #expect(try store.lock(bytes(4)) == nil)
    #expect(try store.write(bytes(4), commitTS: startTS)?.kind == .rollback)
  }

  @Test func aRolledBackKeyStaysRolledBack() async throws {
    let store = try StoreFixture()
    try await store.putWrite(bytes(4), commitTS: startTS, .rollback, startTS: startTS)
    let response = try await store.handler.checkSecondaryLocks(
      checkSecondaryRequest([bytes(4)], startTS: startTS))
    #expect(response.locks.isEmpty && response.commitTs == 0)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
  }
}
