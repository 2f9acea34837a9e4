import Foundation
import Testing
import TinyKVProto

@testable import Transaction

/// Commands racing on one key: the latches make each one's read-check-write atomic.
@Suite struct ConcurrentCommandTests {
  @Test func exactlyOneOfManyConcurrentPrewritesOfAKeyWins() async throws {
    let store = try StoreFixture()
    let handler = store.handler
    let responses = try await withThrowingTaskGroup(of: Kvrpcpb_PrewriteResponse.self) { group in
      for startTS in UInt64(100)..<116 {
        group.addTask {
          try await handler.prewrite(
            prewriteRequest(
              [mutation(bytes(9), .put, bytes(UInt8(startTS)))], primary: bytes(9), startTS: startTS
            ))
        }
      }
      return try await group.reduce(into: []) { $0.append($1) }
    }
    #expect(responses.filter { $0.errors.isEmpty }.count == 1)
    #expect(responses.filter { $0.errors.first?.hasLocked == true }.count == 15)
    let lock = try #require(try store.lock(bytes(9)))
    #expect(try store.value(bytes(9), startTS: lock.startTS) == bytes(UInt8(lock.startTS)))
    #expect(try store.counts() == StoreFixture.Counts(default: 1, lock: 1, write: 0))
  }

  @Test(arguments: 0..<10)
  func aRacingCommitAndRollbackHaveOneWinner(round: Int) async throws {
    let store = try StoreFixture()
    let handler = store.handler
    let keys = [bytes(1), bytes(2)]
    let prewrite = try await handler.prewrite(
      prewriteRequest(keys.map { mutation($0, .put, bytes(7)) }, primary: bytes(1), startTS: 100))
    #expect(prewrite.errors.isEmpty)

    async let commit = handler.commit(commitRequest(keys, startTS: 100, commitTS: 110))
    async let rollback = handler.batchRollback(rollbackRequest(keys.reversed(), startTS: 100))
    let (committed, rolledBack) = (try await commit, try await rollback)

    // Whoever went second found the first's records and failed without changing anything.
    #expect(committed.hasError != rolledBack.hasError, "round \(round)")
    #expect(try store.counts().lock == 0)
    for key in keys {
      let commitRecord = try store.write(key, commitTS: 110)
      let rollbackRecord = try store.write(key, commitTS: 100)
      #expect((commitRecord == nil) != (rollbackRecord == nil), "round \(round)")
      #expect(commitRecord == nil || !committed.hasError)
    }
  }
}
