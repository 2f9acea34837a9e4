import TinyKVProto

/// The seven transactional RPCs of the `TinyKv` service, as a Percolator client needs them.
///
/// A gRPC stub conforms through a thin wrapper; an in-process `TransactionHandler` conforms as it
/// is (same method names and types), so the client runs with or without a network. Every
/// `TxnRPC` is a `TxnRouting` that sends all requests to its one store.
public protocol TxnRPC: TxnRouting where KeyGroup == OneStoreKeys {
  func get(_ request: Kvrpcpb_GetRequest) async throws -> Kvrpcpb_GetResponse
  func scan(_ request: Kvrpcpb_ScanRequest) async throws -> Kvrpcpb_ScanResponse
  func prewrite(_ request: Kvrpcpb_PrewriteRequest) async throws -> Kvrpcpb_PrewriteResponse
  func commit(_ request: Kvrpcpb_CommitRequest) async throws -> Kvrpcpb_CommitResponse
  func checkTxnStatus(
    _ request: Kvrpcpb_CheckTxnStatusRequest
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse
  func batchRollback(
    _ request: Kvrpcpb_BatchRollbackRequest
  ) async throws -> Kvrpcpb_BatchRollbackResponse
  func resolveLock(_ request: Kvrpcpb_ResolveLockRequest) async throws
    -> Kvrpcpb_ResolveLockResponse
}

/// Hands out transaction timestamps: unique and increasing.
public protocol TimestampOracle: Sendable {
  func timestamp() async throws -> UInt64
}
