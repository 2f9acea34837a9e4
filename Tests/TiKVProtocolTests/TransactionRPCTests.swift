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
    op: TiKVKvrpcpb_Op = .put, ttl: UInt64 = 3000, forUpdate: UInt64 = 0
  ) async throws -> TiKVKvrpcpb_PrewriteResponse {
    var request = TiKVKvrpcpb_PrewriteRequest()
    request.mutations = keys.map { key in
      var mutation = TiKVKvrpcpb_Mutation()
      mutation.op = op
      mutation.key = bytes(key)
      mutation.value = [.put, .insert].contains(op) ? bytes("v-\(key)@\(start)") : Data()
      return mutation
    }
    request.primaryLock = bytes(primary)
    request.startVersion = start
    request.lockTtl = ttl
    if forUpdate != 0 {
      request.forUpdateTs = forUpdate
      request.pessimisticActions = keys.map { _ in .doPessimisticCheck }
    }
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

  /// Prewrites `keys` (the first the primary) at `start` and commits them at `commit`.
  private func write(
    _ client: TikvClient, _ keys: [String], at start: UInt64, commit commitTS: UInt64
  ) async throws {
    let prewritten = try await prewrite(client, keys, primary: keys[0], at: start)
    #expect(prewritten.errors.isEmpty)
    #expect(!(try await commit(client, keys, start: start, commit: commitTS)).hasError)
  }

  /// A scan of at most 10 pairs from `start` to `end` at `version`.
  private func scanRequest(
    from start: String, to end: String, at version: UInt64
  ) -> TiKVKvrpcpb_ScanRequest {
    var scan = TiKVKvrpcpb_ScanRequest()
    scan.startKey = bytes(start)
    scan.endKey = bytes(end)
    scan.limit = 10
    scan.version = version
    return scan
  }

  private func get(
    _ client: TikvClient, _ key: String, at version: UInt64
  ) async throws -> TiKVKvrpcpb_GetResponse {
    var request = TiKVKvrpcpb_GetRequest()
    request.key = bytes(key)
    request.version = version
    return try await client.kvGet(request)
  }

  /// A check of the transaction of `lock` on `primary` by a caller (and clock) at `caller`.
  private func checkTxnStatus(
    _ primary: String, lock: UInt64, at caller: UInt64, rollbackIfNotExist: Bool
  ) -> TiKVKvrpcpb_CheckTxnStatusRequest {
    var check = TiKVKvrpcpb_CheckTxnStatusRequest()
    check.primaryKey = bytes(primary)
    check.lockTs = lock
    check.callerStartTs = caller
    check.currentTs = caller
    check.rollbackIfNotExist = rollbackIfNotExist
    return check
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

      var scan = scanRequest(from: "a", to: "c", at: ts(13))
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
      try await write(client, ["k"], at: ts(30), commit: ts(40))
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

  @Test("kvproto's ops: Lock prewrites a lock and commits nothing; Insert of an existing key")
  func ops() async throws {
    try await TikvLoopback.withStandalone { client in
      try await write(client, ["k"], at: ts(1), commit: ts(2))
      let locked = try await prewrite(client, ["k"], primary: "k", at: ts(3), op: .lock)
      #expect(locked.errors.isEmpty)
      let writer = try await prewrite(client, ["k"], primary: "k", at: ts(4))
      #expect(writer.errors.first?.locked.lockVersion == ts(3), "the Lock op locked the key")
      #expect(writer.errors.first?.locked.lockType == .lock, "kvproto's number for Lock")
      _ = try await commit(client, ["k"], start: ts(3), commit: ts(5))
      #expect(try await get(client, "k", at: ts(6)).value == bytes("v-k@\(ts(1))"))
      let exists = try await prewrite(client, ["k"], primary: "k", at: ts(7), op: .insert)
      #expect(exists.errors.first?.hasAlreadyExist == true)
      let inserted = try await prewrite(client, ["n"], primary: "n", at: ts(8), op: .insert)
      #expect(inserted.errors.isEmpty)
      let check = try await prewrite(client, ["k"], primary: "k", at: ts(9), op: .checkNotExists)
      #expect(check.errors.first?.hasAlreadyExist == true)
      let rollback = await rpcError {
        try await prewrite(client, ["n"], primary: "n", at: ts(10), op: .rollback)
      }
      #expect(rollback?.code == .invalidArgument)
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
      let status = try await client.kvCheckTxnStatus(
        checkTxnStatus("e", lock: ts(100), at: ts(110), rollbackIfNotExist: true))
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

  @Test("KvBatchGet: the committed values, a key without one left out, a lock as a pair's error")
  func batchGet() async throws {
    try await TikvLoopback.withStandalone { client in
      try await write(client, ["a", "b"], at: ts(10), commit: ts(11))
      _ = try await prewrite(client, ["c"], primary: "c", at: ts(12))
      var request = TiKVKvrpcpb_BatchGetRequest()
      request.keys = ["a", "b", "c", "z"].map(bytes)
      request.version = ts(13)
      let pairs = try await client.kvBatchGet(request).pairs
      #expect(pairs.filter { !$0.hasError }.map(\.key) == [bytes("a"), bytes("b")])
      #expect(pairs.first?.value == bytes("v-a@\(ts(10))"))
      #expect(pairs.first { $0.hasError }?.error.locked.key == bytes("c"))
    }
  }

  @Test("KvCleanup: an expired lock is rolled back (commit_version 0), a committed key reported")
  func cleanup() async throws {
    try await TikvLoopback.withStandalone { client in
      _ = try await prewrite(client, ["x"], primary: "x", at: ts(20), ttl: 5)
      var request = TiKVKvrpcpb_CleanupRequest()
      request.key = bytes("x")
      request.startVersion = ts(20)
      request.currentTs = ts(30)
      let cleaned = try await client.kvCleanup(request)
      #expect(!cleaned.hasError && cleaned.commitVersion == 0)
      #expect(try await get(client, "x", at: ts(31)).notFound)
      #expect(try await commit(client, ["x"], start: ts(20), commit: ts(32)).hasError)

      try await write(client, ["y"], at: ts(40), commit: ts(41))
      request.key = bytes("y")
      request.startVersion = ts(40)
      request.currentTs = ts(42)
      let committed = try await client.kvCleanup(request)
      #expect(!committed.hasError && committed.commitVersion == ts(41))

      _ = try await prewrite(client, ["w"], primary: "w", at: ts(50))
      request.key = bytes("w")
      request.startVersion = ts(50)
      request.currentTs = ts(51)
      #expect(try await client.kvCleanup(request).error.locked.lockVersion == ts(50), "alive")
    }
  }

  @Test("KvTxnHeartBeat extends the primary's TTL; KvScanLock finds the locks")
  func heartbeatAndScanLock() async throws {
    try await TikvLoopback.withStandalone { client in
      _ = try await prewrite(client, ["p", "q"], primary: "p", at: ts(60), ttl: 100)
      _ = try await prewrite(client, ["r"], primary: "r", at: ts(70), op: .lock)
      var beat = TiKVKvrpcpb_TxnHeartBeatRequest()
      beat.primaryLock = bytes("p")
      beat.startVersion = ts(60)
      beat.adviseLockTtl = 9000
      #expect(try await client.kvTxnHeartBeat(beat).lockTtl == 9000)
      beat.startVersion = ts(61)
      #expect(try await client.kvTxnHeartBeat(beat).error.hasTxnNotFound)

      var scan = TiKVKvrpcpb_ScanLockRequest()
      scan.maxVersion = ts(80)
      let locks = try await client.kvScanLock(scan).locks
      #expect(locks.map(\.key) == [bytes("p"), bytes("q"), bytes("r")])
      #expect(locks.first?.lockTtl == 9000 && locks.first?.lockType == .put)
      #expect(locks.last?.lockType == .lock, "kvproto's number for a lock-only lock")
      scan.maxVersion = ts(65)
      scan.startKey = bytes("q")
      #expect(try await client.kvScanLock(scan).locks.map(\.key) == [bytes("q")])
    }
  }

  @Test("KvCheckSecondaryLocks: locks while prewritten, commit_ts once committed")
  func checkSecondaryLocks() async throws {
    try await TikvLoopback.withStandalone { client in
      _ = try await prewrite(client, ["s1", "s2"], primary: "s1", at: ts(90))
      var check = TiKVKvrpcpb_CheckSecondaryLocksRequest()
      check.keys = [bytes("s2")]
      check.startVersion = ts(90)
      let locked = try await client.kvCheckSecondaryLocks(check)
      #expect(locked.locks.map(\.key) == [bytes("s2")] && locked.commitTs == 0)
      _ = try await commit(client, ["s1", "s2"], start: ts(90), commit: ts(91))
      let committed = try await client.kvCheckSecondaryLocks(check)
      #expect(committed.locks.isEmpty && committed.commitTs == ts(91))
    }
  }

  private func pessimisticLock(
    _ client: TikvClient, _ keys: [String], primary: String, at start: UInt64,
    forUpdate: UInt64
  ) async throws -> TiKVKvrpcpb_PessimisticLockResponse {
    var request = TiKVKvrpcpb_PessimisticLockRequest()
    request.mutations = keys.map { key in
      var mutation = TiKVKvrpcpb_Mutation()
      mutation.op = .pessimisticLock
      mutation.key = bytes(key)
      return mutation
    }
    request.primaryLock = bytes(primary)
    request.startVersion = start
    request.forUpdateTs = forUpdate
    request.lockTtl = 3000
    request.returnValues = true
    return try await client.kvPessimisticLock(request)
  }

  @Test("a pessimistic transaction: lock, prewrite with DO_PESSIMISTIC_CHECK, commit, read")
  func pessimisticTransaction() async throws {
    try await TikvLoopback.withStandalone { client in
      try await write(client, ["m"], at: ts(1), commit: ts(2))
      let locked = try await pessimisticLock(
        client, ["m", "o"], primary: "m", at: ts(10), forUpdate: ts(10))
      #expect(locked.errors.isEmpty)
      #expect(locked.values == [bytes("v-m@\(ts(1))"), Data()])
      #expect(locked.notFounds == [false, true])
      let other = try await pessimisticLock(
        client, ["o"], primary: "o", at: ts(11), forUpdate: ts(11))
      #expect(other.errors.first?.locked.lockVersion == ts(10))
      #expect(other.errors.first?.locked.lockType == .pessimisticLock)
      let prewritten = try await prewrite(
        client, ["m", "o"], primary: "m", at: ts(10), forUpdate: ts(10))
      #expect(prewritten.errors.isEmpty)
      let committed = try await commit(client, ["m", "o"], start: ts(10), commit: ts(12))
      #expect(!committed.hasError && committed.commitVersion == ts(12))
      #expect(try await get(client, "o", at: ts(13)).value == bytes("v-o@\(ts(10))"))
    }
  }

  @Test("a pessimistic lock meets a later commit (write conflict); pessimistic rollback")
  func pessimisticConflictAndRollback() async throws {
    try await TikvLoopback.withStandalone { client in
      try await write(client, ["c"], at: ts(20), commit: ts(25))
      let late = try await pessimisticLock(
        client, ["c"], primary: "c", at: ts(21), forUpdate: ts(21))
      let conflict = late.errors.first?.conflict
      #expect(conflict?.startTs == ts(21) && conflict?.conflictCommitTs == ts(25))
      #expect(conflict?.reason == .pessimisticRetry)

      let locked = try await pessimisticLock(
        client, ["c"], primary: "c", at: ts(21), forUpdate: ts(26))
      #expect(locked.errors.isEmpty)
      var rollback = TiKVKvrpcpb_PessimisticRollbackRequest()
      rollback.startVersion = ts(21)
      rollback.forUpdateTs = ts(26)
      rollback.keys = [bytes("c")]
      #expect(try await client.kvPessimisticRollback(rollback).errors.isEmpty)
      let next = try await pessimisticLock(
        client, ["c"], primary: "c", at: ts(30), forUpdate: ts(30))
      #expect(next.errors.isEmpty, "the rolled-back lock is gone")
    }
  }

  @Test("a reverse KvScan: below start_key (exclusive) down to end_key (inclusive)")
  func reverseScan() async throws {
    try await TikvLoopback.withStandalone { client in
      try await write(client, ["a", "b", "c", "d"], at: ts(1), commit: ts(2))
      var scan = scanRequest(from: "d", to: "b", at: ts(3))
      scan.reverse = true
      let pairs = try await client.kvScan(scan).pairs
      #expect(pairs.map(\.key) == [bytes("c"), bytes("b")])
      #expect(pairs.first?.value == bytes("v-c@\(ts(1))"))
    }
  }

  @Test("check-txn-status with rollback_if_not_exist false on a missing txn: txn_not_found")
  func checkMissingTxn() async throws {
    try await TikvLoopback.withStandalone { client in
      var check = checkTxnStatus("gone", lock: ts(5), at: ts(6), rollbackIfNotExist: false)
      let missing = try await client.kvCheckTxnStatus(check)
      #expect(missing.error.txnNotFound.startTs == ts(5))
      check.rollbackIfNotExist = true
      let rolledBack = try await client.kvCheckTxnStatus(check)
      #expect(!rolledBack.hasError && rolledBack.action == .lockNotExistRollback)
    }
  }

  @Test("what the store does not do answers UNIMPLEMENTED")
  func notServed() async throws {
    try await TikvLoopback.withStandalone { client in
      var batchGet = TiKVKvrpcpb_BatchGetRequest()
      batchGet.needCommitTs = true
      let refused = await rpcError { try await client.kvBatchGet(batchGet) }
      #expect(
        refused?.code == .unimplemented && refused?.message.contains("need_commit_ts") == true)
      var prewrite = TiKVKvrpcpb_PrewriteRequest()
      var mutation = TiKVKvrpcpb_Mutation()
      mutation.key = bytes("k")
      mutation.assertion = .notExist
      prewrite.mutations = [mutation]
      let assertion = await rpcError { try await client.kvPrewrite(prewrite) }
      #expect(assertion?.code == .unimplemented)
    }
  }
}
