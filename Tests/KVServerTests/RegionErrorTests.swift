import Engine
import Foundation
import KVServer
import Storage
import Testing
import TinyKVProto

/// A storage that refuses everything with NotLeader, as a raft store's follower would.
private struct NotLeaderStorage: Storage {
  var error: Errorpb_Error {
    var error = Errorpb_Error()
    error.message = "peer is not leader"
    error.notLeader.regionID = 7
    error.notLeader.leader.id = 2
    error.notLeader.leader.storeID = 3
    return error
  }

  func write(_ context: Kvrpcpb_Context, _ modifications: [Modification]) async throws {
    throw RegionError(error)
  }

  func reader(_ context: Kvrpcpb_Context) async throws -> SnapshotReader {
    throw RegionError(error)
  }
}

@Suite("RawHandler region errors")
struct RegionErrorTests {
  @Test("a region error from storage lands in region_error, not in error")
  func passesThrough() async {
    let handler = RawHandler(storage: NotLeaderStorage())
    let expected = NotLeaderStorage().error
    var get = Kvrpcpb_RawGetRequest()
    get.key = Data([1])
    let getResponse = await handler.get(get)
    #expect(getResponse.regionError == expected && getResponse.error.isEmpty)
    var put = Kvrpcpb_RawPutRequest()
    put.key = Data([1])
    let putResponse = await handler.put(put)
    #expect(putResponse.regionError == expected && putResponse.error.isEmpty)
    #expect(await handler.delete(Kvrpcpb_RawDeleteRequest()).regionError == expected)
    var scan = Kvrpcpb_RawScanRequest()
    scan.limit = 10
    #expect(await handler.scan(scan).regionError == expected)
  }
}
