import Foundation
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct CheckTxnStatusTests {
  typealias Counts = StoreFixture.Counts

  /// The lock's start: physical 1,000,000 ms with a large logical part, so that a comparison of
  /// whole timestamps would differ from a comparison of physical times.
  let lockTS = TSO.compose(physicalMillis: 1_000_000, logical: 200_000)
  /// 100 ms later, logical part zero.
  let currentTS = TSO.compose(physicalMillis: 1_000_100, logical: 0)
  let primary = bytes(3)

  func check(_ store: StoreFixture) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    try await store.handler.checkTxnStatus(
      checkTxnStatusRequest(primary: primary, lockTS: lockTS, currentTS: currentTS))
  }

  @Test(arguments: [UInt64(8), 100])
  func anExpiredLockIsRolledBack(ttl: UInt64) async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(primary, primary: primary, startTS: lockTS, bytes(42), ttl: ttl)
    let response = try await check(store)
    #expect(!response.hasRegionError)
    #expect(response.action == .ttlexpireRollback)
    #expect(response.lockTtl == 0)
    #expect(response.commitVersion == 0)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
    #expect(try store.write(primary, commitTS: lockTS) == Write(startTS: lockTS, kind: .rollback))
  }

  @Test(arguments: [UInt64(101), 1 << 32])
  func aLiveLockIsLeftAlone(ttl: UInt64) async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(primary, primary: primary, startTS: lockTS, bytes(42), ttl: ttl)
    let response = try await check(store)
    #expect(response.action == .noAction)
    #expect(response.lockTtl == ttl)
    #expect(response.commitVersion == 0)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
  }

  @Test func aRolledBackTransactionReportsNothing() async throws {
    let store = try StoreFixture()
    try await store.putValue(primary, startTS: lockTS, bytes(42))
    try await store.putWrite(primary, commitTS: lockTS, .rollback, startTS: lockTS)
    // A later transaction's lock on the same key.
    try await store.putLock(primary, primary: primary, startTS: lockTS + (8 << 18), ttl: 8)
    let response = try await check(store)
    #expect(response.action == .noAction)
    #expect(response.commitVersion == 0)
    #expect(response.lockTtl == 0)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 1))
  }

  @Test func aCommittedTransactionReportsItsCommitTimestamp() async throws {
    let store = try StoreFixture()
    let commitTS = lockTS + 5
    try await store.putCommitted(primary, startTS: lockTS, commitTS: commitTS, bytes(42))
    let response = try await check(store)
    #expect(response.action == .noAction)
    #expect(response.commitVersion == commitTS)
    #expect(response.lockTtl == 0)
    #expect(try store.counts() == Counts(default: 1, lock: 0, write: 1))
  }

  @Test func aMissingTransactionIsRolledBackSoItCannotPrewriteLater() async throws {
    let store = try StoreFixture()
    let response = try await check(store)
    #expect(response.action == .lockNotExistRollback)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
    #expect(try store.write(primary, commitTS: lockTS) == Write(startTS: lockTS, kind: .rollback))

    let late = try await store.handler.prewrite(
      prewriteRequest([mutation(primary, .put, bytes(1))], primary: primary, startTS: lockTS))
    #expect(late.errors.count == 1)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
  }
}
