import GRPCCore
import GRPCNIOTransportHTTP2
import TinyKVGRPC
import TinyKVProto

/// The transactional RPCs of one store over gRPC.
///
/// Use it inside `connect(to:_:)`, which owns the connection, and hand it to a `TxnClient`:
/// ```swift
/// try await GRPCTxnRPC.connect(to: HostAndPort(parsing: "127.0.0.1:20160")) { rpc in
///   let client = TxnClient(rpc: rpc, oracle: HybridClock())
///   try await client.run { txn in txn.put(Data("k".utf8), Data("v".utf8)) }
/// }
/// ```
/// Safe to share between tasks: calls are multiplexed over one HTTP/2 connection.
public struct GRPCTxnRPC: TxnRPC {
  let stub: Tinykvpb_TinyKv.Client<HTTP2ClientTransport.Posix>

  /// Connects to the store at `endpoint`, runs `body`, and closes the connection when `body`
  /// returns or throws.
  public static func connect<Result: Sendable>(
    to endpoint: HostAndPort,
    _ body: (GRPCTxnRPC) async throws -> Result
  ) async throws -> Result {
    return try await withGRPCClient(transport: endpoint.plaintextTransport()) { grpc in
      try await body(GRPCTxnRPC(stub: Tinykvpb_TinyKv.Client(wrapping: grpc)))
    }
  }

  public func get(_ request: Kvrpcpb_GetRequest) async throws -> Kvrpcpb_GetResponse {
    try await stub.kvGet(request)
  }

  public func scan(_ request: Kvrpcpb_ScanRequest) async throws -> Kvrpcpb_ScanResponse {
    try await stub.kvScan(request)
  }

  public func prewrite(_ request: Kvrpcpb_PrewriteRequest) async throws -> Kvrpcpb_PrewriteResponse
  {
    try await stub.kvPrewrite(request)
  }

  public func commit(_ request: Kvrpcpb_CommitRequest) async throws -> Kvrpcpb_CommitResponse {
    try await stub.kvCommit(request)
  }

  public func checkTxnStatus(
    _ request: Kvrpcpb_CheckTxnStatusRequest
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    try await stub.kvCheckTxnStatus(request)
  }

  public func batchRollback(
    _ request: Kvrpcpb_BatchRollbackRequest
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    try await stub.kvBatchRollback(request)
  }

  public func resolveLock(
    _ request: Kvrpcpb_ResolveLockRequest
  ) async throws -> Kvrpcpb_ResolveLockResponse {
    try await stub.kvResolveLock(request)
  }
}
