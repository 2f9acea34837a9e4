import Engine
import GRPCCore
import Storage
import TinyKVGRPC
import TinyKVProto
import Transaction

/// The seven transactional RPCs, served by the `TransactionHandler`.
///
/// Per-key outcomes (locks, conflicts, aborts) and region errors come back in the response.
/// What fails a whole request becomes a status: a malformed request `INVALID_ARGUMENT`, a
/// corrupt stored record `DATA_LOSS`, an engine failure `INTERNAL`.
extension TinyKvService {
  public func kvGet(
    request: Kvrpcpb_GetRequest, context: ServerContext
  ) async throws -> Kvrpcpb_GetResponse {
    try await TransactionRPCErrors.mapping("KvGet") { try await txn.get(request) }
  }

  public func kvScan(
    request: Kvrpcpb_ScanRequest, context: ServerContext
  ) async throws -> Kvrpcpb_ScanResponse {
    try await TransactionRPCErrors.mapping("KvScan") { try await txn.scan(request) }
  }

  public func kvPrewrite(
    request: Kvrpcpb_PrewriteRequest, context: ServerContext
  ) async throws -> Kvrpcpb_PrewriteResponse {
    try await TransactionRPCErrors.mapping("KvPrewrite") { try await txn.prewrite(request) }
  }

  public func kvCommit(
    request: Kvrpcpb_CommitRequest, context: ServerContext
  ) async throws -> Kvrpcpb_CommitResponse {
    try await TransactionRPCErrors.mapping("KvCommit") { try await txn.commit(request) }
  }

  public func kvCheckTxnStatus(
    request: Kvrpcpb_CheckTxnStatusRequest, context: ServerContext
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    try await TransactionRPCErrors.mapping("KvCheckTxnStatus") {
      try await txn.checkTxnStatus(request)
    }
  }

  public func kvBatchRollback(
    request: Kvrpcpb_BatchRollbackRequest, context: ServerContext
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    try await TransactionRPCErrors.mapping("KvBatchRollback") {
      try await txn.batchRollback(request)
    }
  }

  public func kvResolveLock(
    request: Kvrpcpb_ResolveLockRequest, context: ServerContext
  ) async throws -> Kvrpcpb_ResolveLockResponse {
    try await TransactionRPCErrors.mapping("KvResolveLock") { try await txn.resolveLock(request) }
  }
}
