import Foundation
import Testing

@testable import Transaction

@Suite struct BatchRollbackTests {
  typealias Counts = StoreFixture.Counts

  @Test func anEmptyRollbackChangesNothing() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.batchRollback(rollbackRequest([], startTS: 100))
    #expect(!response.hasError)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))
  }

  @Test func aRollbackRemovesLockAndValueAndLeavesARecord() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: 100, bytes(42))
    let response = try await store.handler.batchRollback(rollbackRequest([bytes(3)], startTS: 100))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
    #expect(try store.write(bytes(3), commitTS: 100) == Write(startTS: 100, kind: .rollback))
  }

  @Test func duplicateKeysAreRolledBackOnce() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: 100, bytes(42))
    try await store.putPrewritten(bytes(15), primary: bytes(1), startTS: 100, bytes(0))
    let response = try await store.handler.batchRollback(
      rollbackRequest([bytes(3), bytes(15), bytes(3)], startTS: 100))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 2))
    #expect(try store.write(bytes(3), commitTS: 100) == Write(startTS: 100, kind: .rollback))
    #expect(try store.write(bytes(15), commitTS: 100) == Write(startTS: 100, kind: .rollback))
  }

  @Test func aRollbackWithoutPrewriteStillLeavesARecord() async throws {
    let store = try StoreFixture()
    let response = try await store.handler.batchRollback(rollbackRequest([bytes(3)], startTS: 100))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
    #expect(try store.write(bytes(3), commitTS: 100) == Write(startTS: 100, kind: .rollback))
  }

  @Test func aCommittedTransactionCannotBeRolledBack() async throws {
    let store = try StoreFixture()
    try await store.putValue(bytes(3), startTS: 100, bytes(42))
    try await store.putWrite(bytes(3), commitTS: 110, .put, startTS: 100)
    let response = try await store.handler.batchRollback(rollbackRequest([bytes(3)], startTS: 100))
    #expect(!response.error.abort.isEmpty)
    #expect(!response.hasRegionError)
    #expect(try store.counts() == Counts(default: 1, lock: 0, write: 1))
    #expect(try store.write(bytes(3), commitTS: 110) == Write(startTS: 100, kind: .put))
  }

  @Test func aRepeatedRollbackSucceedsAgain() async throws {
    let store = try StoreFixture()
    try await store.putWrite(bytes(3), commitTS: 100, .rollback, startTS: 100)
    let response = try await store.handler.batchRollback(rollbackRequest([bytes(3)], startTS: 100))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
  }

  @Test func anotherTransactionsLockIsLeftAlone() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(3), primary: bytes(1), startTS: 80, bytes(42))
    let response = try await store.handler.batchRollback(rollbackRequest([bytes(3)], startTS: 100))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 1))
    #expect(try store.lock(bytes(3))?.startTS == 80)
    #expect(try store.value(bytes(3), startTS: 80) == bytes(42))
    #expect(try store.write(bytes(3), commitTS: 100) == Write(startTS: 100, kind: .rollback))
  }
}
