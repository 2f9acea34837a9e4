import Foundation
import Testing

@testable import Transaction

@Suite struct CommitTests {
  typealias Counts = StoreFixture.Counts

  @Test func anEmptyCommitChangesNothing() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.commit(commitRequest([], startTS: 100, commitTS: 110))
    #expect(!response.hasError)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))
  }

  @Test func aCommitReplacesTheLockWithAWrite() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: 100, bytes(42))
    let response = try await store.handler.commit(
      commitRequest([bytes(3)], startTS: 100, commitTS: 110))
    #expect(!response.hasError)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 1, lock: 0, write: 1))
    #expect(try store.write(bytes(3), commitTS: 110) == Write(startTS: 100, kind: .put))
    #expect(try store.value(bytes(3), startTS: 100) == bytes(42))
  }

  @Test func aCommitOverAnOlderWriteKeepsBoth() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(3), startTS: 80, commitTS: 84, bytes(15))
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: 100, bytes(42))
    let response = try await store.handler.commit(
      commitRequest([bytes(3)], startTS: 100, commitTS: 110))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 2, lock: 0, write: 2))
    #expect(try store.write(bytes(3), commitTS: 110) == Write(startTS: 100, kind: .put))
    #expect(try await store.handler.get(getRequest(bytes(3), at: 109)).value == bytes(15))
    #expect(try await store.handler.get(getRequest(bytes(3), at: 110)).value == bytes(42))
  }

  @Test func aCommitOfSeveralKeysLeavesOtherDataAlone() async throws {
    let store = try StoreFixture()
    for key in [bytes(3), bytes(12, 4, 0), bytes(15)] {
      try await store.putPrewritten(key, primary: bytes(1), startTS: 100, bytes(1, 1, 0, 0, 1, 5))
    }
    try await store.putCommitted(bytes(4), startTS: 80, commitTS: 84, bytes(15))
    try await store.putCommitted(bytes(3, 0), startTS: 80, commitTS: 84, bytes(150))
    try await store.putPrewritten(bytes(2), primary: bytes(2), startTS: 99, bytes(0, 0, 0, 8))
    try await store.putPrewritten(
      bytes(43, 6), primary: bytes(2), startTS: 99, bytes(1, 1, 0, 0, 1, 5))

    let response = try await store.handler.commit(
      commitRequest([bytes(3), bytes(12, 4, 0), bytes(15)], startTS: 100, commitTS: 110))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 7, lock: 2, write: 5))
    for key in [bytes(3), bytes(12, 4, 0), bytes(15)] {
      #expect(try store.write(key, commitTS: 110) == Write(startTS: 100, kind: .put))
      #expect(try store.lock(key) == nil)
    }
    #expect(try store.write(bytes(4), commitTS: 84) == Write(startTS: 80, kind: .put))
    #expect(try store.write(bytes(3, 0), commitTS: 84) == Write(startTS: 80, kind: .put))
    #expect(try store.lock(bytes(2))?.startTS == 99)
    #expect(try store.lock(bytes(43, 6))?.startTS == 99)
  }

  @Test func aKeyTwiceInOneCommit() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: 100, bytes(42))
    let response = try await store.handler.commit(
      commitRequest([bytes(3), bytes(3)], startTS: 100, commitTS: 110))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 1, lock: 0, write: 1))
    #expect(try store.write(bytes(3), commitTS: 110) == Write(startTS: 100, kind: .put))
  }

  @Test func aCommitAfterARollbackAborts() async throws {
    let store = try StoreFixture()
    try await store.putWrite(bytes(3), commitTS: 100, .rollback, startTS: 100)
    let response = try await store.handler.commit(
      commitRequest([bytes(3)], startTS: 100, commitTS: 110))
    #expect(response.hasError)
    #expect(!response.error.abort.isEmpty)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
  }

  @Test func aKeyLockedByAnotherTransactionIsRetryable() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(3), startTS: 90, bytes(110))
    let response = try await store.handler.commit(
      commitRequest([bytes(3)], startTS: 100, commitTS: 110))
    #expect(!response.error.retryable.isEmpty)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
    #expect(try store.lock(bytes(3))?.startTS == 90)
  }

  @Test func aRepeatedCommitSucceedsAgain() async throws {
    let store = try StoreFixture()
    try await store.putValue(bytes(3), startTS: 100, bytes(42))
    try await store.putWrite(bytes(3), commitTS: 110, .put, startTS: 100)
    let response = try await store.handler.commit(
      commitRequest([bytes(3)], startTS: 100, commitTS: 110))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 1, lock: 0, write: 1))
  }

  @Test func aRepeatedCommitWhileAnotherTransactionLocksTheKeySucceeds() async throws {
    let store = try StoreFixture()
    try await store.putValue(bytes(3), startTS: 100, bytes(42))
    try await store.putWrite(bytes(3), commitTS: 110, .put, startTS: 100)
    try await store.putPrewritten(bytes(3), primary: bytes(3), startTS: 120, bytes(43))
    let response = try await store.handler.commit(
      commitRequest([bytes(3)], startTS: 100, commitTS: 110))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 2, lock: 1, write: 1))
  }

  @Test func aCommitWithoutPrewriteChangesNothing() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(bytes(4), startTS: 80, commitTS: 84, bytes(15))
    try await store.putCommitted(bytes(3, 0), startTS: 80, commitTS: 84, bytes(150))
    let response = try await store.handler.commit(
      commitRequest([bytes(3)], startTS: 100, commitTS: 110))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 2, lock: 0, write: 2))
  }

  @Test func aCommitTimestampNotAfterTheStartIsRejected() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: 100, bytes(42))
    await #expect(throws: TransactionError.self) {
      try await store.handler.commit(commitRequest([bytes(3)], startTS: 100, commitTS: 100))
    }
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
  }
}
