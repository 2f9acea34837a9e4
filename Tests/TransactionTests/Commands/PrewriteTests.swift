import Foundation
import Testing

@testable import Transaction

@Suite struct PrewriteTests {
  typealias Counts = StoreFixture.Counts

  @Test func anEmptyPrewriteChangesNothing() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.prewrite(prewriteRequest([], startTS: 100))
    #expect(response.errors.isEmpty)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))
  }

  @Test func aPrewriteStagesTheValueAndLocksTheKey() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(3), .put, bytes(42))], startTS: 100, ttl: 1000))
    #expect(response.errors.isEmpty)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
    #expect(try store.value(bytes(3), startTS: 100) == bytes(42))
    #expect(
      try store.lock(bytes(3)) == Lock(primary: bytes(1), startTS: 100, ttl: 1000, kind: .put))
  }

  @Test func aKeyLockedByAnotherTransactionIsReported() async throws {
    let store = try StoreFixture()
    let first = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(3), .put, bytes(42))], startTS: 100))
    let second = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(3), .put, bytes(53))], startTS: 101))
    #expect(first.errors.isEmpty)
    #expect(second.errors.count == 1)
    #expect(second.errors.first?.locked.lockVersion == 100)
    #expect(second.errors.first?.locked.key == bytes(3))
    #expect(!second.hasRegionError)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
    #expect(try store.value(bytes(3), startTS: 100) == bytes(42))
    #expect(try store.lock(bytes(3))?.startTS == 100)
  }

  @Test func aWriteCommittedAfterTheStartIsAConflict() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(3), startTS: 80, commitTS: 101, bytes(5))
    let response = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(3), .put, bytes(42))], startTS: 100))
    #expect(response.errors.count == 1)
    #expect(response.errors.first?.hasConflict == true)
    #expect(response.errors.first?.conflict.conflictTs == 101)
    #expect(response.errors.first?.conflict.conflictCommitTs == 101)
    #expect(response.errors.first?.conflict.reason == .optimistic)
    #expect(response.errors.first?.conflict.startTs == 100)
    #expect(response.errors.first?.conflict.key == bytes(3))
    #expect(try store.counts() == Counts(default: 1, lock: 0, write: 1))
    #expect(try store.value(bytes(3), startTS: 80) == bytes(5))
  }

  @Test func aWriteCommittedBeforeTheStartIsNoConflict() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(3), startTS: 80, commitTS: 90, bytes(5))
    let response = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(3), .put, bytes(42))], startTS: 100))
    #expect(response.errors.isEmpty)
    #expect(try store.counts() == Counts(default: 2, lock: 1, write: 1))
    #expect(try store.value(bytes(3), startTS: 80) == bytes(5))
    #expect(try store.value(bytes(3), startTS: 100) == bytes(42))
    #expect(try store.lock(bytes(3)) == Lock(primary: bytes(1), startTS: 100, ttl: 0, kind: .put))
  }

  @Test func transactionsOnDifferentKeysBothSucceed() async throws {
    let store = try StoreFixture()
    let first = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(3), .put, bytes(42))], startTS: 100))
    let second = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(4), .put, bytes(53))], startTS: 101))
    #expect(first.errors.isEmpty)
    #expect(second.errors.isEmpty)
    #expect(try store.counts() == Counts(default: 2, lock: 2, write: 0))
    #expect(try store.value(bytes(3), startTS: 100) == bytes(42))
    #expect(try store.value(bytes(4), startTS: 101) == bytes(53))
    #expect(try store.lock(bytes(3))?.startTS == 100)
    #expect(try store.lock(bytes(4))?.startTS == 101)
  }

  @Test func theLastMutationOfAKeyWins() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.prewrite(
      prewriteRequest(
        [mutation(bytes(3), .put, bytes(42)), mutation(bytes(3), .put, bytes(45))], startTS: 100))
    #expect(response.errors.isEmpty)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
    #expect(try store.value(bytes(3), startTS: 100) == bytes(45))
  }

  @Test func manyMutationsInOnePrewrite() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.prewrite(
      prewriteRequest(
        [
          mutation(bytes(3), .put, bytes(42)), mutation(bytes(4), .put, bytes(43)),
          mutation(bytes(5), .put, bytes(44)), mutation(bytes(4), .del),
          mutation(bytes(4), .put, bytes(1, 3, 5)), mutation(bytes(255), .put, bytes(45)),
        ], startTS: 100))
    #expect(response.errors.isEmpty)
    #expect(try store.counts() == Counts(default: 4, lock: 4, write: 0))
    #expect(try store.value(bytes(4), startTS: 100) == bytes(1, 3, 5))
  }

  @Test func aDeleteAfterAPutInOnePrewriteLeavesNoValue() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.prewrite(
      prewriteRequest(
        [mutation(bytes(4), .put, bytes(43)), mutation(bytes(4), .del)], startTS: 100))
    #expect(response.errors.isEmpty)
    #expect(try store.counts() == Counts(default: 0, lock: 1, write: 0))
    #expect(try store.lock(bytes(4))?.kind == .delete)
  }

  @Test func oneFailingKeyFailsTheWholePrewrite() async throws {
    let store = try StoreFixture()
    try await store.putLock(bytes(4), primary: bytes(4), startTS: 90)
    let response = try await store.handler.prewrite(
      prewriteRequest(
        [mutation(bytes(3), .put, bytes(42)), mutation(bytes(4), .put, bytes(43))], startTS: 100))
    #expect(response.errors.count == 1)
    #expect(response.errors.first?.locked.key == bytes(4))
    #expect(try store.counts() == Counts(default: 0, lock: 1, write: 0))
  }

  @Test func aRepeatedPrewriteIsIdempotent() async throws {
    let store = try StoreFixture()
    let request = prewriteRequest([mutation(bytes(3), .put, bytes(42))], startTS: 100)
    #expect(try await store.handler.prewrite(request).errors.isEmpty)
    #expect(try await store.handler.prewrite(request).errors.isEmpty)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
  }

  @Test func aRolledBackTransactionCannotPrewriteLate() async throws {
    let store = try StoreFixture()
    let rollback = try await store.handler.batchRollback(rollbackRequest([bytes(3)], startTS: 100))
    #expect(!rollback.hasError)
    let response = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(3), .put, bytes(42))], startTS: 100))
    #expect(response.errors.count == 1)
    #expect(response.errors.first?.abort.isEmpty == false)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
  }

  @Test func aLockOnlyMutationLocksWithoutAValue() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(3), startTS: 80, commitTS: 90, bytes(5))
    #expect(
      try await store.handler.prewrite(prewriteRequest([mutation(bytes(3), .lock)], startTS: 100))
        .errors
        .isEmpty)
    #expect(try store.lock(bytes(3))?.kind == .lock)
    let commit = try await store.handler.commit(
      commitRequest([bytes(3)], startTS: 100, commitTS: 110))
    #expect(!commit.hasError)
    #expect(try store.write(bytes(3), commitTS: 110) == Write(startTS: 100, kind: .lock))
    #expect(try await store.handler.get(getRequest(bytes(3), at: 120)).value == bytes(5))
  }

  @Test func aRollbackMutationIsRejected() async throws {
    let store = try StoreFixture()
    await #expect(throws: TransactionError.self) {
      try await store.handler.prewrite(
        prewriteRequest([mutation(bytes(3), .rollback)], startTS: 100))
    }
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))
  }
}
