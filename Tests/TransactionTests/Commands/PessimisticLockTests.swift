import Foundation
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct PessimisticLockTests {
  typealias Counts = StoreFixture.Counts
  let key = bytes(3)

  @Test func lockThenPrewriteThenCommit() async throws {
    let store = try StoreFixture()
    let locked = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], primary: key, startTS: 100, forUpdateTS: 110))
    #expect(locked.errors.isEmpty)
    #expect(
      try store.lock(key)
        == Lock(primary: key, startTS: 100, ttl: 3000, kind: .pessimistic, forUpdateTS: 110))
    #expect(try store.counts() == Counts(default: 0, lock: 1, write: 0))

    let prewritten = try await store.handler.prewrite(
      pessimisticPrewriteRequest(
        [mutation(key, .put, bytes(42))], primary: key, startTS: 100, forUpdateTS: 110))
    #expect(prewritten.errors.isEmpty)
    #expect(prewritten.minCommitTs == 0 && prewritten.onePcCommitTs == 0)
    #expect(try store.lock(key)?.kind == .put)
    #expect(try store.lock(key)?.forUpdateTS == 110)

    let committed = try await store.handler.commit(
      commitRequest([key], startTS: 100, commitTS: 120))
    #expect(!committed.hasError)
    let read = try await store.handler.get(getRequest(key, at: 130))
    #expect(read.value == bytes(42))
  }

  @Test func aPessimisticLockNeverBlocksAReader() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: 10, commitTS: 20, bytes(7))
    _ = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], startTS: 100, forUpdateTS: 100))
    let read = try await store.handler.get(getRequest(key, at: 200))
    #expect(!read.hasError && read.value == bytes(7))
    let scanned = try await store.handler.scan(scanRequest(from: Data(), limit: 10, at: 200))
    #expect(scanned.pairs.map(\.value) == [bytes(7)])
  }

  @Test func aNewerCommitIsAWriteConflict() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: 105, commitTS: 111, bytes(7))
    let response = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], startTS: 100, forUpdateTS: 110))
    #expect(response.errors.count == 1)
    #expect(response.errors.first?.conflict.conflictCommitTs == 111)
    #expect(response.errors.first?.conflict.reason == .pessimisticRetry)
    #expect(try store.lock(key) == nil)
    // Retried at a newer for_update_ts, it succeeds.
    let retried = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], startTS: 100, forUpdateTS: 112))
    #expect(retried.errors.isEmpty)
  }

  @Test func anotherTransactionsLockFailsAtOnceAndWritesNothing() async throws {
    let store = try StoreFixture()
    try await store.putLock(bytes(4), primary: bytes(4), startTS: 90, ttl: 100)
    let response = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key, bytes(4)], startTS: 100, forUpdateTS: 100))
    #expect(response.errors.count == 1)
    #expect(response.errors.first?.locked.lockVersion == 90)
    #expect(try store.lock(key) == nil)
  }

  @Test func aRepeatedLockIsIdempotentAndRaisesForUpdateTS() async throws {
    let store = try StoreFixture()
    for forUpdateTS: UInt64 in [100, 100, 105] {
      let response = try await store.handler.pessimisticLock(
        pessimisticLockRequest([key], startTS: 100, forUpdateTS: forUpdateTS))
      #expect(response.errors.isEmpty)
    }
    #expect(try store.lock(key)?.forUpdateTS == 105)
    #expect(try store.counts() == Counts(default: 0, lock: 1, write: 0))
  }

  @Test func valuesAndExistenceAreReturnedWhenAsked() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: 10, commitTS: 20, bytes(7))
    var request = pessimisticLockRequest([key, bytes(4)], startTS: 100, forUpdateTS: 100)
    request.returnValues = true
    let response = try await store.handler.pessimisticLock(request)
    #expect(response.values == [bytes(7), Data()])
    #expect(response.notFounds == [false, true])

    var existence = pessimisticLockRequest([bytes(5)], startTS: 100, forUpdateTS: 100)
    existence.checkExistence = true
    let checked = try await store.handler.pessimisticLock(existence)
    #expect(checked.values.isEmpty && checked.notFounds == [true])
  }

  @Test func lockOnlyIfExistsSkipsMissingKeys() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: 10, commitTS: 20, bytes(7))
    var request = pessimisticLockRequest([key, bytes(4)], startTS: 100, forUpdateTS: 100)
    request.returnValues = true
    request.lockOnlyIfExists = true
    let response = try await store.handler.pessimisticLock(request)
    #expect(response.errors.isEmpty)
    #expect(try store.lock(key) != nil)
    #expect(try store.lock(bytes(4)) == nil)
  }

  @Test func aPrewrittenKeyCannotBeLockedAgain() async throws {
    let store = try StoreFixture()
    _ = try await store.handler.prewrite(
      prewriteRequest([mutation(key, .put, bytes(1))], startTS: 100))
    let response = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], startTS: 100, forUpdateTS: 100))
    #expect(response.errors.first?.abort.contains("LockTypeNotMatch") == true)
    #expect(try store.lock(key)?.kind == .put)
  }

  @Test func aRolledBackTransactionCannotLock() async throws {
    let store = try StoreFixture()
    try await store.putWrite(key, commitTS: 100, .rollback, startTS: 100)
    let response = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], startTS: 100, forUpdateTS: 100))
    #expect(response.errors.first?.abort.isEmpty == false)
  }

  @Test func pessimisticRollbackRemovesOnlyOldEnoughPessimisticLocks() async throws {
    let store = try StoreFixture()
    _ = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key, bytes(4)], startTS: 100, forUpdateTS: 110))
    try await store.putLock(bytes(5), primary: key, startTS: 100, kind: .put)

    let early = try await store.handler.pessimisticRollback(
      pessimisticRollbackRequest([key], startTS: 100, forUpdateTS: 109))
    #expect(early.errors.isEmpty)
    #expect(try store.lock(key) != nil)

    _ = try await store.handler.pessimisticRollback(
      pessimisticRollbackRequest([key, bytes(4), bytes(5)], startTS: 100, forUpdateTS: 110))
    #expect(try store.lock(key) == nil && store.lock(bytes(4)) == nil)
    // The prewritten lock stays; no rollback records are left.
    #expect(try store.counts() == Counts(default: 0, lock: 1, write: 0))
    // The transaction may lock the keys again.
    let again = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], startTS: 100, forUpdateTS: 120))
    #expect(again.errors.isEmpty)
  }

  @Test func aPrewriteExpectingAMissingPessimisticLockFails() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.prewrite(
      pessimisticPrewriteRequest([mutation(key, .put, bytes(1))], startTS: 100, forUpdateTS: 110))
    #expect(response.errors.count == 1)
    #expect(response.errors.first?.abort.contains("PessimisticLockNotFound") == true)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))
  }

  @Test func aPrewriteRetriedAfterItsCommitSucceeds() async throws {
    let store = try StoreFixture()
    _ = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], primary: key, startTS: 100, forUpdateTS: 100))
    let request = pessimisticPrewriteRequest(
      [mutation(key, .put, bytes(1))], primary: key, startTS: 100, forUpdateTS: 100)
    _ = try await store.handler.prewrite(request)
    _ = try await store.handler.commit(commitRequest([key], startTS: 100, commitTS: 101))
    let retried = try await store.handler.prewrite(request)
    #expect(retried.errors.isEmpty)
    #expect(try store.lock(key) == nil)
  }

  @Test func anOptimisticMutationOnAPessimisticLockFails() async throws {
    let store = try StoreFixture()
    _ = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], startTS: 100, forUpdateTS: 100))
    let response = try await store.handler.prewrite(
      prewriteRequest([mutation(key, .put, bytes(1))], startTS: 100))
    #expect(response.errors.first?.abort.isEmpty == false)
    #expect(try store.lock(key)?.kind == .pessimistic)
  }

  @Test func aPessimisticLockIsNeverCommitted() async throws {
    let store = try StoreFixture()
    _ = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], startTS: 100, forUpdateTS: 100))
    let response = try await store.handler.commit(
      commitRequest([key], startTS: 100, commitTS: 101))
    #expect(response.error.hasTxnLockNotFound)
    #expect(!response.error.retryable.isEmpty)
    #expect(try store.lock(key)?.kind == .pessimistic)
    #expect(try store.counts() == Counts(default: 0, lock: 1, write: 0))
  }

  /// A pessimistic prewrite of `key` (locked) and `bytes(4)` (not locked, with `action`), after
  /// a write on `bytes(4)` committed at `commitTS`; start 100, for_update_ts 110.
  func prewriteNotLockedKey(
    committedAt commitTS: UInt64, action: Kvrpcpb_PrewriteRequest.PessimisticAction
  ) async throws -> (StoreFixture, Kvrpcpb_PrewriteResponse) {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(4), startTS: 90, commitTS: commitTS, bytes(1))
    try await store.putWrite(bytes(4), commitTS: 115, .rollback, startTS: 115)
    _ = try await store.handler.pessimisticLock(
      pessimisticLockRequest([key], primary: key, startTS: 100, forUpdateTS: 110))
    var request = pessimisticPrewriteRequest(
      [mutation(key, .put, bytes(1)), mutation(bytes(4), .put, bytes(2))], primary: key,
      startTS: 100, forUpdateTS: 110)
    request.pessimisticActions = [.doPessimisticCheck, action]
    return (store, try await store.handler.prewrite(request))
  }

  @Test func aNotLockedKeyConflictsWithWritesAfterForUpdateTS() async throws {
    let (store, response) = try await prewriteNotLockedKey(
      committedAt: 112, action: .skipPessimisticCheck)
    #expect(response.errors.count == 1)
    #expect(response.errors.first?.conflict.conflictCommitTs == 112)
    #expect(response.errors.first?.conflict.reason == .notLockedKeyConflict)
    #expect(try store.lock(key)?.kind == .pessimistic)

    // Committed after the start but before for_update_ts (another's rollback above it): fine.
    let (_, earlier) = try await prewriteNotLockedKey(
      committedAt: 105, action: .skipPessimisticCheck)
    #expect(earlier.errors.isEmpty)
  }

  @Test func aConstraintCheckConflictsWithWritesAfterTheStart() async throws {
    let (_, response) = try await prewriteNotLockedKey(
      committedAt: 105, action: .doConstraintCheck)
    #expect(response.errors.first?.conflict.reason == .lazyUniquenessCheck)
  }
}
