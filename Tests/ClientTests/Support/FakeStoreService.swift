import Foundation
import GRPCCore
import TinyKVGRPC
import TinyKVProto

/// The TinyKv service of a `FakeStore`: the raw RPCs, checked as a TinyKV store checks them;
/// everything else is unimplemented.
struct FakeStoreService: Tinykvpb_TinyKv.SimpleServiceProtocol {
  let store: FakeStore

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
  { try unimplemented() }

  func kvScan(request: Kvrpcpb_ScanRequest, context: ServerContext) async throws
    -> Kvrpcpb_ScanResponse
  { try unimplemented() }

  func kvPrewrite(request: Kvrpcpb_PrewriteRequest, context: ServerContext) async throws
    -> Kvrpcpb_PrewriteResponse
  { try unimplemented() }

  func kvCommit(request: Kvrpcpb_CommitRequest, context: ServerContext) async throws
    -> Kvrpcpb_CommitResponse
  { try unimplemented() }

  func kvCheckTxnStatus(request: Kvrpcpb_CheckTxnStatusRequest, context: ServerContext)
    async throws -> Kvrpcpb_CheckTxnStatusResponse
  { try unimplemented() }

  func kvBatchRollback(request: Kvrpcpb_BatchRollbackRequest, context: ServerContext)
    async throws -> Kvrpcpb_BatchRollbackResponse
  { try unimplemented() }

  func kvResolveLock(request: Kvrpcpb_ResolveLockRequest, context: ServerContext) async throws
    -> Kvrpcpb_ResolveLockResponse
  { try unimplemented() }

  func raft(
    request: RPCAsyncSequence<RaftServerpb_RaftMessage, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done { try unimplemented() }

  func snapshot(
    request: RPCAsyncSequence<RaftServerpb_SnapshotChunk, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done { try unimplemented() }

  func coprocessor(request: Coprocessor_Request, context: ServerContext) async throws
    -> Coprocessor_Response
  { try unimplemented() }
}
