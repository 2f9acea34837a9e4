import Client
import TinyKVProto

/// A request that names the region it is for.
protocol RegionRequest {
  var context: Kvrpcpb_Context { get set }
}

extension Kvrpcpb_GetRequest: RegionRequest {}
extension Kvrpcpb_ScanRequest: RegionRequest {}
extension Kvrpcpb_PrewriteRequest: RegionRequest {}
extension Kvrpcpb_CommitRequest: RegionRequest {}
extension Kvrpcpb_CheckTxnStatusRequest: RegionRequest {}
extension Kvrpcpb_BatchRollbackRequest: RegionRequest {}
extension Kvrpcpb_ResolveLockRequest: RegionRequest {}

/// Transactional RPCs that carry one region context (the `TxnClient` is written for a
/// standalone store and sends none; a replicated store needs the region).
struct RegionTxnRPC<Base: TxnRPC>: TxnRPC {
  let base: Base
  let context: Kvrpcpb_Context

  private func addressed<Request: RegionRequest>(_ request: Request) -> Request {
    var request = request
    request.context = context
    return request
  }

  func get(_ request: Kvrpcpb_GetRequest) async throws -> Kvrpcpb_GetResponse {
    try await base.get(addressed(request))
  }

  func scan(_ request: Kvrpcpb_ScanRequest) async throws -> Kvrpcpb_ScanResponse {
    try await base.scan(addressed(request))
  }

  func prewrite(_ request: Kvrpcpb_PrewriteRequest) async throws -> Kvrpcpb_PrewriteResponse {
    try await base.prewrite(addressed(request))
  }

  func commit(_ request: Kvrpcpb_CommitRequest) async throws -> Kvrpcpb_CommitResponse {
    try await base.commit(addressed(request))
  }

  func checkTxnStatus(
    _ request: Kvrpcpb_CheckTxnStatusRequest
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    try await base.checkTxnStatus(addressed(request))
  }

  func batchRollback(
    _ request: Kvrpcpb_BatchRollbackRequest
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    try await base.batchRollback(addressed(request))
  }

  func resolveLock(
    _ request: Kvrpcpb_ResolveLockRequest
  ) async throws -> Kvrpcpb_ResolveLockResponse {
    try await base.resolveLock(addressed(request))
  }
}
