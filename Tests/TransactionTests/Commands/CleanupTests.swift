import Foundation
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct CleanupTests {
  typealias Counts = StoreFixture.Counts
  let key = bytes(3)
  let startTS = tso(1_000_000, logical: 5)

  @Test func aLiveLockIsReported() async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(key, primary: key, startTS: startTS, bytes(1), ttl: 100)
    let response = try await store.handler.cleanup(
      cleanupRequest(key, startTS: startTS, currentTS: tso(1_000_099)))
    #expect(response.error.locked.lockVersion == startTS)
    #expect(try store.counts() == Counts(default: 1, lock: 1, write: 0))
  }

  @Test(arguments: [UInt64(0), tso(1_000_100)])
  func anExpiredLockOrNoTTLCheckRollsBack(currentTS: UInt64) async throws {
    let store = try StoreFixture()
    try await store.putPrewritten(key, primary: key, startTS: startTS, bytes(1), ttl: 100)
    let response = try await store.handler.cleanup(
      cleanupRequest(key, startTS: startTS, currentTS: currentTS))
    #expect(!response.hasError && response.commitVersion == 0)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
    #expect(try store.write(key, commitTS: startTS)?.kind == .rollback)
    // Idempotent.
    let again = try await store.handler.cleanup(
      cleanupRequest(key, startTS: startTS, currentTS: currentTS))
    #expect(!again.hasError)
    #expect(try store.counts() == Counts(default: 0, lock: 0, write: 1))
  }

  @Test func aCommittedKeyReportsItsCommit() async throws {
    let store = try StoreFixture()
    try await store.putCommitted(key, startTS: startTS, commitTS: startTS + 10, bytes(1))
    let response = try await store.handler.cleanup(
      cleanupRequest(key, startTS: startTS, currentTS: tso(2_000_000)))
    #expect(response.commitVersion == startTS + 10)
    #expect(try store.counts() == Counts(default: 1, lock: 0, write: 1))
  }

  @Test func aMissingPrewriteIsRolledBackSoItCanNeverLand() async throws {
    let store = try StoreFixture()
    _ = try await store.handler.cleanup(cleanupRequest(key, startTS: startTS, currentTS: 0))
    let late = try await store.handler.prewrite(
      prewriteRequest([mutation(key, .put, bytes(1))], startTS: startTS))
    #expect(late.errors.first?.abort.isEmpty == false)
  }
}
