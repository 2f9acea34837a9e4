import Foundation
import Testing
import TinyKVProto

@testable import Transaction

/// TiKV's CheckTxnStatus extras: pushing min_commit_ts, rollback_if_not_exist, lock_info,
/// pessimistic primaries.
@Suite struct CheckTxnStatusExtrasTests {
  typealias Counts = StoreFixture.Counts
  let primary = bytes(3)
  let lockTS = tso(1_000_000, logical: 200_000)

  func request(currentMillis: UInt64) -> Kvrpcpb_CheckTxnStatusRequest {
    checkTxnStatusRequest(primary: primary, lockTS: lockTS, currentTS: tso(currentMillis))
  }

  @Test func aCallerPushesMinCommitTS() async throws {
    let store = try StoreFixture()
    let lock = Lock(
      primary: primary, startTS: lockTS, ttl: 1000, kind: .put, minCommitTS: lockTS + 1)
    try await store.plant([.put(.lock, key: MvccKey.lockKey(primary), value: lock.encoded())])
    var check = request(currentMillis: 1_000_010)
    check.callerStartTs = lockTS + 50
    let response = try await store.handler.checkTxnStatus(check)
    #expect(response.action == .minCommitTspushed)
    #expect(response.lockTtl == 1000)
    #expect(response.lockInfo.minCommitTs == tso(1_000_010))
    #expect(response.lockInfo.primaryLock == primary && response.lockInfo.lockVersion == lockTS)
    #expect(try store.lock(primary)?.minCommitTS == tso(1_000_010))

    // A caller already behind min_commit_ts pushes nothing more but is told it was pushed.
    check.callerStartTs = lockTS + 60
    check.currentTs = 0
    let again = try await store.handler.checkTxnStatus(check)
    #expect(again.action == .minCommitTspushed)
    #expect(try store.lock(primary)?.minCommitTS == tso(1_000_010))
  }

  @Test func aLockWithoutMinCommitTSIsNotPushed() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(primary, primary: primary, startTS: lockTS, bytes(1), ttl: 1000)
    var check = request(currentMillis: 1_000_010)
    check.callerStartTs = lockTS + 50
    let response = try await store.handler.checkTxnStatus(check)
    #expect(response.action == .noAction)
    #expect(response.lockInfo.lockTtl == 1000)
    #expect(try store.lock(primary)?.minCommitTS == 0)
  }

  @Test func rollbackIfNotExistFalseReportsTxnNotFound() async throws {
    let store = try StoreFixture()
    var check = request(currentMillis: 1_000_010)
    check.rollbackIfNotExist = false
    let response = try await store.handler.checkTxnStatus(check)
    #expect(response.error.txnNotFound.startTs == lockTS)
    #expect(response.error.txnNotFound.primaryKey == primary)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))

    check.rollbackIfNotExist = true
    let rolledBack = try await store.handler.checkTxnStatus(check)
    #expect(rolledBack.action == .lockNotExistRollback)
    #expect(try store.write(primary, commitTS: lockTS)?.kind == .rollback)
  }

  @Test func anExpiredPessimisticPrimaryBeingResolvedIsOnlyRemoved() async throws {
    let store = try StoreFixture()
    let lock = Lock(
      primary: primary, startTS: lockTS, ttl: 10, kind: .pessimistic, forUpdateTS: lockTS)
    try await store.plant([.put(.lock, key: MvccKey.lockKey(primary), value: lock.encoded())])
    var check = request(currentMillis: 1_000_010)
    check.resolvingPessimisticLock = true
    let response = try await store.handler.checkTxnStatus(check)
    #expect(response.action == .ttlexpirePessimisticRollback)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))

    // Checked again, the lock is gone and nothing is done.
    let again = try await store.handler.checkTxnStatus(check)
    #expect(again.action == .lockNotExistDoNothing)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 0))
  }

  @Test func anExpiredPessimisticPrimaryIsRolledBackOtherwise() async throws {
    let store = try StoreFixture()
    let lock = Lock(
      primary: primary, startTS: lockTS, ttl: 10, kind: .pessimistic, forUpdateTS: lockTS)
    try await store.plant([.put(.lock, key: MvccKey.lockKey(primary), value: lock.encoded())])
    let alive = try await store.handler.checkTxnStatus(request(currentMillis: 1_000_009))
    #expect(alive.lockTtl == 10 && alive.lockInfo.lockType == .pessimisticLock)
    let response = try await store.handler.checkTxnStatus(request(currentMillis: 1_000_010))
    #expect(response.action == .ttlexpireRollback)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
  }

  @Test func forceSyncCommitIsAccepted() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(primary, primary: primary, startTS: lockTS, bytes(1), ttl: 1000)
    var check = request(currentMillis: 1_000_010)
    check.forceSyncCommit = true
    let response = try await store.handler.checkTxnStatus(check)
    #expect(response.lockTtl == 1000 && !response.hasError)
  }
}
