import Foundation
import Testing
import TinyKVProto

@testable import Transaction

/// TiKV's prewrite extras: Insert, CheckNotExists, the stored lock fields, the async-commit and
/// one-phase-commit fallbacks, and commit against min_commit_ts.
@Suite struct PrewriteExtrasTests {
  typealias Counts = StoreFixture.Counts
  let key = bytes(3)

  @Test func insertFailsOnAnExistingValue() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: 10, commitTS: 20, bytes(7))
    let response = try await store.handler.prewrite(
      prewriteRequest([mutation(key, .insert, bytes(1))], startTS: 100))
    #expect(response.errors.count == 1)
    #expect(response.errors.first?.alreadyExist.key == key)
    #expect(try store.lock(key) == nil)
  }

  @Test func insertSucceedsAfterADeleteOrOverRollbacksAndLocks() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: 10, commitTS: 20, bytes(7))
    try await store.putWrite(key, commitTS: 40, .delete, startTS: 30)
    try await store.putWrite(key, commitTS: 50, .rollback, startTS: 50)
    try await store.putWrite(key, commitTS: 70, .lock, startTS: 60)
    let response = try await store.handler.prewrite(
      prewriteRequest([mutation(key, .insert, bytes(1))], startTS: 100))
    #expect(response.errors.isEmpty)
    #expect(try store.lock(key)?.kind == .put)
    #expect(try store.value(key, startTS: 100) == bytes(1))
  }

  @Test func checkNotExistsChecksAndWritesNothing() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: 10, commitTS: 20, bytes(7))
    let found = try await store.handler.prewrite(
      prewriteRequest([mutation(key, .checkNotExists)], startTS: 100))
    #expect(found.errors.first?.alreadyExist.key == key)
    let absent = try await store.handler.prewrite(
      prewriteRequest([mutation(bytes(4), .checkNotExists)], startTS: 100))
    #expect(absent.errors.isEmpty)
    #expect(try store.counts() == Counts(default: 1, lock: 0, write: 1))
  }

  @Test func theLockKeepsTxnSizeAndMinCommitTS() async throws {
    let store = try StoreFixture()
    var request = prewriteRequest([mutation(key, .lock)], startTS: 100, ttl: 20)
    request.txnSize = 5
    request.minCommitTs = 101
    _ = try await store.handler.prewrite(request)
    #expect(
      try store.lock(key)
        == Lock(primary: bytes(1), startTS: 100, ttl: 20, kind: .lock, minCommitTS: 101, txnSize: 5)
    )
    // Reported in LockInfo with TinyKV's numbering of the lock type.
    try await store.putLock(bytes(4), primary: bytes(1), startTS: 90, kind: .put)
    let locks = try await store.handler.scanLock(scanLockRequest(maxVersion: 200))
    #expect(locks.locks.map(\.lockType) == [.lock, .put])
    #expect(locks.locks.first?.txnSize == 5 && locks.locks.first?.minCommitTs == 101)
  }

  @Test(arguments: [(true, false), (false, true), (true, true)])
  func asyncCommitAndOnePCFallBackToTwoPhases(asyncCommit: Bool, onePC: Bool) async throws {
    let store = try StoreFixture()
    var request = prewriteRequest([mutation(key, .put, bytes(1))], primary: key, startTS: 100)
    request.useAsyncCommit = asyncCommit
    request.tryOnePc = onePC
    request.secondaries = [bytes(4)]
    request.maxCommitTs = 200
    let response = try await store.handler.prewrite(request)
    #expect(response.errors.isEmpty)
    #expect(response.minCommitTs == 0 && response.onePcCommitTs == 0)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
    let committed = try await store.handler.commit(
      commitRequest([key], startTS: 100, commitTS: 110))
    #expect(!committed.hasError)
  }

  @Test func aCommitBelowMinCommitTSIsExpired() async throws {
    let store = try StoreFixture()
    var request = prewriteRequest([mutation(key, .put, bytes(1))], primary: key, startTS: 100)
    request.minCommitTs = 150
    _ = try await store.handler.prewrite(request)
    let early = try await store.handler.commit(commitRequest([key], startTS: 100, commitTS: 149))
    #expect(early.error.commitTsExpired.minCommitTs == 150)
    #expect(early.error.commitTsExpired.attemptedCommitTs == 149)
    #expect(try store.lock(key) != nil)
    let onTime = try await store.handler.commit(commitRequest([key], startTS: 100, commitTS: 150))
    #expect(!onTime.hasError)
    #expect(try store.write(key, commitTS: 150)?.kind == .put)
  }

  @Test func aRetriedPrewriteKeepsAPushedMinCommitTSAndAnExtendedTTL() async throws {
    let store = try StoreFixture()
    var request = prewriteRequest(
      [mutation(key, .put, bytes(1))], primary: key, startTS: 100, ttl: 20)
    request.minCommitTs = 101
    _ = try await store.handler.prewrite(request)
    var check = checkTxnStatusRequest(primary: key, lockTS: 100, currentTS: 100)
    check.callerStartTs = 120
    _ = try await store.handler.checkTxnStatus(check)
    _ = try await store.handler.txnHeartBeat(
      heartBeatRequest(primary: key, startTS: 100, adviseTTL: 500))
    let retried = try await store.handler.prewrite(request)
    #expect(retried.errors.isEmpty)
    #expect(try store.lock(key)?.minCommitTS == 121)
    #expect(try store.lock(key)?.ttl == 500)
    let early = try await store.handler.commit(commitRequest([key], startTS: 100, commitTS: 110))
    #expect(early.error.hasCommitTsExpired)
  }

  @Test func aLockPushedPastTheReaderDoesNotBlockIt() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: 10, commitTS: 20, bytes(7))
    var request = prewriteRequest([mutation(key, .put, bytes(1))], primary: key, startTS: 100)
    request.minCommitTs = 101
    _ = try await store.handler.prewrite(request)
    let blocked = try await store.handler.get(getRequest(key, at: 120))
    #expect(blocked.error.hasLocked)
    var check = checkTxnStatusRequest(primary: key, lockTS: 100, currentTS: 100)
    check.callerStartTs = 120
    _ = try await store.handler.checkTxnStatus(check)
    let read = try await store.handler.get(getRequest(key, at: 120))
    #expect(!read.hasError && read.value == bytes(7))
  }
}
