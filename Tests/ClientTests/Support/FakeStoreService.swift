import Coprocessor
import Foundation
import GRPCCore
import KVServer
import Storage
import TinyKVGRPC
import TinyKVProto
import Transaction

/// The TinyKv service of a `FakeStore`: the raw RPCs, checked as a TinyKV store checks them,
/// and the transactional ones, checked the same way and then run by the real
/// `TransactionHandler` over storage the stores share (the fake's replication), and push-down
/// requests, run by the real `CoprocessorHandler` over that storage clipped to the region;
/// `BatchCommands` runs them as any TinyKv service does (KVServer); the rest is unimplemented.
struct FakeStoreService: Tinykvpb_TinyKv.SimpleServiceProtocol {
  let store: FakeStore
  let transactions: TransactionHandler<StandaloneStorage>?

  func rawGet(
    request: Kvrpcpb_RawGetRequest, context: ServerContext
  ) async throws -> Kvrpcpb_RawGetResponse {
    var response = Kvrpcpb_RawGetResponse()
    if let error = try await store.admit(request.context, key: request.key) {
      response.regionError = error
    } else if let value = store.state.withLock({ $0.data[request.key] }) {
      response.value = value
    } else {
      response.notFound = true
    }
    return response
  }

  func rawPut(
    request: Kvrpcpb_RawPutRequest, context: ServerContext
  ) async throws -> Kvrpcpb_RawPutResponse {
    var response = Kvrpcpb_RawPutResponse()
    if let error = try await store.admit(request.context, key: request.key) {
      response.regionError = error
    } else {
      store.state.withLock { $0.data[request.key] = request.value }
      try await store.stallIfScripted()
    }
    return response
  }

  func rawDelete(
    request: Kvrpcpb_RawDeleteRequest, context: ServerContext
  ) async throws -> Kvrpcpb_RawDeleteResponse {
    var response = Kvrpcpb_RawDeleteResponse()
    if let error = try await store.admit(request.context, key: request.key) {
      response.regionError = error
    } else {
      _ = store.state.withLock { $0.data.removeValue(forKey: request.key) }
    }
    return response
  }

  func rawScan(
    request: Kvrpcpb_RawScanRequest, context: ServerContext
  ) async throws -> Kvrpcpb_RawScanResponse {
    var response = Kvrpcpb_RawScanResponse()
    if let error = try await store.admit(request.context, key: request.startKey) {
      response.regionError = error
    } else {
      response.kvs = store.scan(
        region: request.context.regionID, from: request.startKey, limit: Int(request.limit))
    }
    return response
  }

  private func unimplemented<Response>() throws -> Response {
    throw RPCError(code: .unimplemented, message: "the fake store serves the raw API only")
  }

  func kvGet(request: Kvrpcpb_GetRequest, context: ServerContext) async throws
    -> Kvrpcpb_GetResponse
  {
    try await transact(request, keys: [request.key]) { try await $0.get(request) }
  }

  func kvScan(request: Kvrpcpb_ScanRequest, context: ServerContext) async throws
    -> Kvrpcpb_ScanResponse
  {
    try await transact(request, keys: [request.startKey]) { try await $0.scan(request) }
  }

  func kvPrewrite(request: Kvrpcpb_PrewriteRequest, context: ServerContext) async throws
    -> Kvrpcpb_PrewriteResponse
  {
    try await transact(request, keys: request.mutations.map(\.key)) {
      try await $0.prewrite(request)
    }
  }

  func kvCommit(request: Kvrpcpb_CommitRequest, context: ServerContext) async throws
    -> Kvrpcpb_CommitResponse
  {
    try await transact(request, keys: request.keys) { try await $0.commit(request) }
  }

  func kvCheckTxnStatus(request: Kvrpcpb_CheckTxnStatusRequest, context: ServerContext)
    async throws -> Kvrpcpb_CheckTxnStatusResponse
  {
    try await transact(request, keys: [request.primaryKey]) {
      try await $0.checkTxnStatus(request)
    }
  }

  func kvBatchRollback(request: Kvrpcpb_BatchRollbackRequest, context: ServerContext)
    async throws -> Kvrpcpb_BatchRollbackResponse
  {
    try await transact(request, keys: request.keys) { try await $0.batchRollback(request) }
  }

  func kvResolveLock(request: Kvrpcpb_ResolveLockRequest, context: ServerContext) async throws
    -> Kvrpcpb_ResolveLockResponse
  {
    try await transact(request, keys: []) { try await $0.resolveLock(request) }
  }

  /// Checks a transactional request's context and keys (in region space, `memcomparable(key)`)
  /// like the raw ones, then runs it on the cluster's shared `TransactionHandler`.
  private func transact<Request: TransactionalMessage, Response: TransactionalResponse>(
    _ request: Request, keys: [Data],
    _ handle: (TransactionHandler<StandaloneStorage>) async throws -> Response
  ) async throws -> Response {
    guard let transactions else {
      throw RPCError(code: .unimplemented, message: "this fake store serves the raw API only")
    }
    let encoded = keys.map { Memcomparable.encode($0) }
    if let error = try await store.admit(request.context, keys: encoded) {
      var response = Response()
      response.regionError = error
      return response
    }
    let response = try await handle(transactions)
    let after = store.state.withLock { state in
      state.transactionalRequests[Request.name, default: 0] += 1
      return state.afterServing.removeValue(forKey: Request.name)
    }
    after?()
    return response
  }

  func raft(
    request: RPCAsyncSequence<RaftServerpb_RaftMessage, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done { try unimplemented() }

  func batchRaft(
    request: RPCAsyncSequence<Tinykvpb_BatchRaftMessage, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done { try unimplemented() }

  func snapshot(
    request: RPCAsyncSequence<RaftServerpb_SnapshotChunk, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done { try unimplemented() }

  /// Checked like a transactional request at its first range's start, then run by the real
  /// `CoprocessorHandler` over the shared storage as the addressed region sees it.
  func coprocessor(request: Coprocessor_Request, context: ServerContext) async throws
    -> Coprocessor_Response
  {
    guard let transactions else { return try unimplemented() }
    let start = Memcomparable.encode(request.ranges.first?.start ?? Data())
    if let error = try await store.admit(request.context, keys: [start]) {
      var response = Coprocessor_Response()
      response.regionError = error
      return response
    }
    let storage = RegionScopedStorage(base: transactions.storage, store: store)
    return try await CoprocessorHandler(storage: storage).handle(request)
  }
}

/// A transactional request, as the fake store checks it.
protocol TransactionalMessage {
  static var name: String { get }
  var context: Kvrpcpb_Context { get }
}

/// A transactional response the fake store can fill with a region error.
protocol TransactionalResponse {
  init()
  var regionError: Errorpb_Error { get set }
}

extension Kvrpcpb_GetRequest: TransactionalMessage { static let name = "get" }
extension Kvrpcpb_ScanRequest: TransactionalMessage { static let name = "scan" }
extension Kvrpcpb_PrewriteRequest: TransactionalMessage { static let name = "prewrite" }
extension Kvrpcpb_CommitRequest: TransactionalMessage { static let name = "commit" }
extension Kvrpcpb_CheckTxnStatusRequest: TransactionalMessage {
  static let name = "check status"
}
extension Kvrpcpb_BatchRollbackRequest: TransactionalMessage { static let name = "rollback" }
extension Kvrpcpb_ResolveLockRequest: TransactionalMessage { static let name = "resolve lock" }

extension Kvrpcpb_GetResponse: TransactionalResponse {}
extension Kvrpcpb_ScanResponse: TransactionalResponse {}
extension Kvrpcpb_PrewriteResponse: TransactionalResponse {}
extension Kvrpcpb_CommitResponse: TransactionalResponse {}
extension Kvrpcpb_CheckTxnStatusResponse: TransactionalResponse {}
extension Kvrpcpb_BatchRollbackResponse: TransactionalResponse {}
extension Kvrpcpb_ResolveLockResponse: TransactionalResponse {}
