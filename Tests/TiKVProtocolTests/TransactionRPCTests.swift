import Foundation
import GRPCCore
import Testing
import TiKVGRPC
import TiKVProto

/// The transactional RPCs of `tikvpb.Tikv` over gRPC against a standalone store: TiKV's
/// requests in, the transaction layer's outcomes in TiKV's responses out.
@Suite("TiKV transactional RPCs")
struct TransactionRPCTests {
  /// A timestamp whose physical part is `milliseconds` (TSO layout: 18 logical bits).
  private func ts(_ milliseconds: UInt64, _ logical: UInt64 = 0) -> UInt64 {
    milliseconds << 18 | logical
  }

  private func prewrite(
    _ client: TikvClient, _ keys: [String], primary: String, at start: UInt64,
    op: TiKVKvrpcpb_Op = .put, ttl: UInt64 = 3000
  ) async throws -> TiKVKvrpcpb_PrewriteResponse {
    var request = TiKVKvrpcpb_PrewriteRequest()
    request.mutations = keys.map { key in
      var mutation = TiKVKvrpcpb_Mutation()
      mutation.op = op
      mutation.key = bytes(key)
      mutation.value = op == .put ? bytes("v-\(key)@\(start)") : Data()
      return mutation
    }
    request.primaryLock = bytes(primary)
    request.startVersion = start
    request.lockTtl = ttl
    return try await client.kvPrewrite(request)
  }

  private func commit(
    _ client: TikvClient, _ keys: [String], start: UInt64, commit: UInt64
  ) async throws -> TiKVKvrpcpb_CommitResponse {
    var request = TiKVKvrpcpb_CommitRequest()
    request.keys = keys.map(bytes)
    request.startVersion = start
    request.commitVersion = commit
    return try await client.kvCommit(request)
  }

  private func get(
    _ client: TikvClient, _ key: String, at version: UInt64
  ) async throws -> TiKVKvrpcpb_GetResponse {
    var request = TiKVKvrpcpb_GetRequest()
    request.key = bytes(key)
    request.version = version
    return try await client.kvGet(request)
  }

  @Test("a whole optimistic transaction: prewrite, a reader meets the lock, commit, get, scan")
  func optimisticTransaction() async throws {
    try await TikvLoopback.withStandalone { client in
      let prewritten = try await prewrite(client, ["a", "b", "c"], primary: "a", at: ts(10))
      #expect(prewritten.errors.isEmpty && !prewritten.hasRegionError)

      let blocked = try await get(client, "b", at: ts(11))
      #expect(blocked.error.locked.key == bytes("b"))
      #expect(blocked.error.locked.primaryLock == bytes("a"))
      #expect(blocked.error.locked.lockVersion == ts(10))
      #expect(blocked.error.locked.lockTtl == 3000)

      let committed = try await commit(client, ["a", "b", "c"], start: ts(10), commit: ts(12))
      #expect(!committed.hasError && committed.commitVersion == ts(12))

      #expect(try await get(client, "b", at: ts(13)).value == bytes("v-b@\(ts(10))"))
      #expect(try await get(client, "b", at: ts(11)).notFound, "before the commit: nothing")

      var scan = TiKVKvrpcpb_ScanRequest()
      scan.startKey = bytes("a")
      scan.endKey = bytes("c")
      scan.limit = 10
      scan.version = ts(13)
      let pairs = try await client.kvScan(scan).pairs
      #expect(pairs.map(\.key) == [bytes("a"), bytes("b")])
      #expect(pairs.map(\.value) == [bytes("v-a@\(ts(10))"), bytes("v-b@\(ts(10))")])
      scan.keyOnly = true
      scan.endKey = Data()
      let keys = try await client.kvScan(scan).pairs
      #expect(keys.map(\.key) == [bytes("a"), bytes("b"), bytes("c")])
      #expect(keys.allSatisfy { $0.value.isEmpty })
    }
  }

  @Test("a write conflict and a lock in the way come back as TiKV's KeyErrors")
  func conflicts() async throws {
    try await TikvLoopback.withStandalone { client in
      _ = try await prewrite(client, ["k"], primary: "k", at: ts(30))
      _ = try await commit(client, ["k"], start: ts(30), commit: ts(40))
      let late = try await prewrite(client, ["k"], primary: "k", at: ts(35))
      #expect(late.errors.count == 1)
      #expect(late.errors.first?.conflict.startTs == ts(35))
      #expect(late.errors.first?.conflict.conflictTs == ts(40))
      #expect(late.errors.first?.conflict.key == bytes("k"))
      #expect(late.errors.first?.conflict.primary == bytes("k"))

      _ = try await prewrite(client, ["k"], primary: "k", at: ts(50))
      let blocked = try await prewrite(client, ["k"], primary: "k", at: ts(55))
      #expect(blocked.errors.first?.locked.lockVersion == ts(50))
    }
  }

  @Test("kvproto's ops: Lock prewrites a lock and commits nothing; Insert is not served yet")
  func ops() async throws {
    try await TikvLoopback.withStandalone { client in
      _ = try await prewrite(client, ["k"], primary: "k", at: ts(1))
      _ = try await commit(client, ["k"], start: ts(1), commit: ts(2))
      let locked = try await prewrite(client, ["k"], primary: "k", at: ts(3), op: .lock)
      #expect(locked.errors.isEmpty)
      let writer = try await prewrite(client, ["k"], primary: "k", at: ts(4))
      #expect(writer.errors.first?.locked.lockVersion == ts(3), "the Lock op locked the key")
      _ = try await commit(client, ["k"], start: ts(3), commit: ts(5))
      #expect(try await get(client, "k", at: ts(6)).value == bytes("v-k@\(ts(1))"))
      let error = await rpcError {
        try await prewrite(client, ["n"], primary: "n", at: ts(7), op: .insert)
      }
      #expect(error?.code == .unimplemented)
    }
  }

  @Test("a rolled-back transaction leaves nothing and cannot commit")
  func rollback() async throws {
    try await TikvLoopback.withStandalone { client in
      _ = try await prewrite(client, ["r"], primary: "r", at: ts(60))
      var rollback = TiKVKvrpcpb_BatchRollbackRequest()
      rollback.startVersion = ts(60)
      rollback.keys = [bytes("r")]
      let rolledBack = try await client.kvBatchRollback(rollback)
      #expect(!rolledBack.hasError && !rolledBack.hasRegionError)
      let read = try await get(client, "r", at: ts(70))
      #expect(read.notFound && !read.hasError)
      let late = try await commit(client, ["r"], start: ts(60), commit: ts(61))
      #expect(late.hasError && late.commitVersion == 0)
    }
  }

  @Test("an expired lock: check-txn-status rolls its primary back, resolve-lock the rest")
  func resolveExpired() async throws {
    try await TikvLoopback.withStandalone { client in
      _ = try await prewrite(client, ["e", "f"], primary: "e", at: ts(100), ttl: 5)
      var check = TiKVKvrpcpb_CheckTxnStatusRequest()
      check.primaryKey = bytes("e")
      check.lockTs = ts(100)
      check.callerStartTs = ts(110)
      check.currentTs = ts(110)
      check.rollbackIfNotExist = true
      let status = try await client.kvCheckTxnStatus(check)
      #expect(status.action == .ttlexpireRollback && status.commitVersion == 0)
      var resolve = TiKVKvrpcpb_ResolveLockRequest()
      resolve.startVersion = ts(100)
      let resolved = try await client.kvResolveLock(resolve)
      #expect(!resolved.hasError && !resolved.hasRegionError)
      let read = try await get(client, "f", at: ts(120))
      #expect(read.notFound && !read.hasError)
    }
  }

  @Test("a committed primary: check-txn-status reports the commit, resolve-lock commits the rest")
  func resolveCommitted() async throws {
    try await TikvLoopback.withStandalone { client in
      _ = try await prewrite(client, ["g", "h"], primary: "g", at: ts(200))
      _ = try await commit(client, ["g"], start: ts(200), commit: ts(201))
      var check = TiKVKvrpcpb_CheckTxnStatusRequest()
      check.primaryKey = bytes("g")
      check.lockTs = ts(200)
      check.currentTs = ts(202)
      let status = try await client.kvCheckTxnStatus(check)
      #expect(status.commitVersion == ts(201) && status.action == .noAction)
      var live = TiKVKvrpcpb_CheckTxnStatusRequest()
      _ = try await prewrite(client, ["l"], primary: "l", at: ts(300))
      live.primaryKey = bytes("l")
      live.lockTs = ts(300)
      live.currentTs = ts(301)
      #expect(try await client.kvCheckTxnStatus(live).lockTtl == 3000)
      var resolve = TiKVKvrpcpb_ResolveLockRequest()
      resolve.startVersion = ts(200)
      resolve.commitVersion = ts(201)
      #expect(!(try await client.kvResolveLock(resolve)).hasError)
      #expect(try await get(client, "h", at: ts(203)).value == bytes("v-h@\(ts(200))"))
    }
  }

  @Test("RPCs that need the transaction layer's next features answer UNIMPLEMENTED")
  func notServedYet() async throws {
    try await TikvLoopback.withStandalone { client in
      let batchGet = await rpcError {
        try await client.kvBatchGet(TiKVKvrpcpb_BatchGetRequest())
      }
      #expect(batchGet?.code == .unimplemented)
      let heartbeat = await rpcError {
        try await client.kvTxnHeartBeat(TiKVKvrpcpb_TxnHeartBeatRequest())
      }
      #expect(heartbeat?.code == .unimplemented && heartbeat?.message.contains("heartbeat") == true)
      var reverse = TiKVKvrpcpb_ScanRequest()
      reverse.reverse = true
      let scan = await rpcError { try await client.kvScan(reverse) }
      #expect(scan?.code == .unimplemented)
    }
  }
}
