import Foundation
import Testing
import TinyKVProto

@testable import Transaction

/// TiKV's ResolveLock extras: many transactions at once (`txn_infos`) and chosen `keys`.
@Suite struct ResolveLockExtrasTests {
  typealias Counts = StoreFixture.Counts

  @Test func manyTransactionsAreResolvedInOneCall() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(1), primary: bytes(1), startTS: 10, bytes(1))
    try await store.putPrewritten(bytes(2), primary: bytes(1), startTS: 10, bytes(2))
    try await store.putPrewritten(bytes(3), primary: bytes(3), startTS: 20, bytes(3))
    try await store.putPrewritten(bytes(4), primary: bytes(4), startTS: 30, bytes(4))
    var request = Kvrpcpb_ResolveLockRequest()
    request.txnInfos = [txnInfo(10, status: 15), txnInfo(20, status: 0)]
    let response = try await store.handler.resolveLock(request)
    #expect(!response.hasError)
    #expect(try store.write(bytes(1), commitTS: 15)?.kind == .put)
    #expect(try store.write(bytes(2), commitTS: 15)?.kind == .put)
    #expect(try store.write(bytes(3), commitTS: 20)?.kind == .rollback)
    #expect(try store.value(bytes(3), startTS: 20) == nil)
    // The transaction not named keeps its lock.
    #expect(try store.lock(bytes(4))?.startTS == 30)
    #expect(try store.counts() == Counts(default: 3, lock: 1, write: 3))
  }

  @Test func onlyTheGivenKeysAreResolved() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(bytes(1), primary: bytes(1), startTS: 10, bytes(1))
    try await store.putPrewritten(bytes(2), primary: bytes(1), startTS: 10, bytes(2))
    var request = resolveRequest(startTS: 10, commitTS: 15)
    request.keys = [bytes(2), bytes(9)]
    let response = try await store.handler.resolveLock(request)
    #expect(!response.hasError)
    #expect(try store.lock(bytes(1)) != nil)
    #expect(try store.lock(bytes(2)) == nil)
    #expect(try store.write(bytes(2), commitTS: 15)?.kind == .put)
    #expect(try store.write(bytes(9), commitTS: 15) == nil)
  }

  @Test func resolvingAPessimisticLockAsCommittedRemovesIt() async throws {
    let store = try StoreFixture()
    _ = try await store.handler.pessimisticLock(
      pessimisticLockRequest([bytes(2)], startTS: 10, forUpdateTS: 10))
    let response = try await store.handler.resolveLock(resolveRequest(startTS: 10, commitTS: 15))
    #expect(!response.hasError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))
  }
}
