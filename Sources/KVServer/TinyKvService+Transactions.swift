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
    try await Self.mappingErrors("KvGet") { try await txn.get(request) }
  }

  public func kvScan(
    request: Kvrpcpb_ScanRequest, context: ServerContext
  ) async throws -> Kvrpcpb_ScanResponse {
    try await Self.mappingErrors("KvScan") { try await txn.scan(request) }
  }

  public func kvPrewrite(
    request: Kvrpcpb_PrewriteRequest, context: ServerContext
  ) async throws -> Kvrpcpb_PrewriteResponse {
    try await Self.mappingErrors("KvPrewrite") { try await txn.prewrite(request) }
  }

  public func kvCommit(
    request: Kvrpcpb_CommitRequest, context: ServerContext
  ) async throws -> Kvrpcpb_CommitResponse {
    try await Self.mappingErrors("KvCommit") { try await txn.commit(request) }
  }

  public func kvCheckTxnStatus(
    request: Kvrpcpb_CheckTxnStatusRequest, context: ServerContext
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    try await Self.mappingErrors("KvCheckTxnStatus") { try await txn.checkTxnStatus(request) }
  }

  public func kvBatchRollback(
    request: Kvrpcpb_BatchRollbackRequest, context: ServerContext
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    try await Self.mappingErrors("KvBatchRollback") { try await txn.batchRollback(request) }
  }

  public func kvResolveLock(
    request: Kvrpcpb_ResolveLockRequest, context: ServerContext
  ) async throws -> Kvrpcpb_ResolveLockResponse {
    try await Self.mappingErrors("KvResolveLock") { try await txn.resolveLock(request) }
  }

  /// Runs `body`, turning a thrown error into the `RPCError` the client sees.
  static func mappingErrors<Response>(
    _ method: String, _ body: () async throws -> Response
  ) async throws -> Response {
    do {
      return try await body()
    } catch let error as TransactionError {
      let code: RPCError.Code = error.code == .invalidRequest ? .invalidArgument : .dataLoss
      throw RPCError(code: code, message: "\(method): \(error.message)")
    } catch let error as EngineError {
      throw RPCError(code: .internalError, message: "\(method): storage failed: \(error.message)")
    } catch let error as RPCError {
      throw error
    } catch {
      throw RPCError(code: .internalError, message: "\(method): \(error)")
    }
  }
}
