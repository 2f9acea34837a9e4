import Foundation
import Testing
import TinyKVProto

@testable import Transaction

@Suite struct ScanLockTests {
  func store() async throws -> StoreFixture {
    let store = try StoreFixture()
    for (key, startTS) in [(UInt8(1), UInt64(10)), (2, 30), (3, 20), (4, 10), (5, 40)] {
      try await store.putLock(bytes(key), primary: bytes(1), startTS: startTS, ttl: 7)
    }
    return store
  }

  @Test func onlyLocksAtOrBeforeMaxVersionInKeyOrder() async throws {
    let store = try await store()
    let response = try await store.handler.scanLock(scanLockRequest(maxVersion: 20))
    #expect(response.locks.map(\.key) == [bytes(1), bytes(3), bytes(4)])
    #expect(response.locks.map(\.lockVersion) == [10, 20, 10])
    #expect(response.locks.allSatisfy { $0.lockTtl == 7 && $0.primaryLock == bytes(1) })
  }

  @Test func theRangeAndLimitApply() async throws {
    let store = try await store()
    let ranged = try await store.handler.scanLock(
      scanLockRequest(maxVersion: 100, from: bytes(2), to: bytes(5)))
    #expect(ranged.locks.map(\.key) == [bytes(2), bytes(3), bytes(4)])
    let limited = try await store.handler.scanLock(
      scanLockRequest(maxVersion: 100, from: bytes(2), limit: 2))
    #expect(limited.locks.map(\.key) == [bytes(2), bytes(3)])
  }
}
