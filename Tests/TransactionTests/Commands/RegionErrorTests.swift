import Engine
import Foundation
import Storage
import Testing
import TinyKVProto

@testable import Transaction

/// A storage that refuses every request with a `not_leader` region error, as a raft store does
/// on a follower.
struct NotLeaderStorage: Storage {
  var error: Errorpb_Error {
    var error = Errorpb_Error()
    error.message = "not leader"
    error.notLeader.regionID = 7
    return error
  }

  func write(_ context: Kvrpcpb_Context, _ modifications: [Modification]) async throws {
    throw RegionError(error)
  }

  func reader(_ context: Kvrpcpb_Context) async throws -> SnapshotReader {
    throw RegionError(error)
  }
}

@Suite struct RegionErrorTests {
  let handler = TransactionHandler(storage: NotLeaderStorage())

  @Test func everyCommandReturnsTheRegionError() async throws {
    #expect(try await handler.get(getRequest(bytes(1), at: 10)).regionError.notLeader.regionID == 7)
    #expect(try await handler.scan(scanRequest(from: bytes(1), limit: 5, at: 10)).hasRegionError)
    let prewrite = try await handler.prewrite(
      prewriteRequest([mutation(bytes(1), .put, bytes(2))], startTS: 10))
    #expect(prewrite.regionError.message == "not leader")
    #expect(
      try await handler.commit(commitRequest([bytes(1)], startTS: 10, commitTS: 11)).hasRegionError)
    #expect(
      try await handler.batchRollback(rollbackRequest([bytes(1)], startTS: 10)).hasRegionError)
    #expect(
      try await handler.checkTxnStatus(
        checkTxnStatusRequest(primary: bytes(1), lockTS: 10, currentTS: 11)
      )
      .hasRegionError)
    #expect(try await handler.resolveLock(resolveRequest(startTS: 10, commitTS: 0)).hasRegionError)
    #expect(handler.latches.heldCount == 0)
  }
}
