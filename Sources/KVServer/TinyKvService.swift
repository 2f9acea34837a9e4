import GRPCCore
import Storage
import TinyKVGRPC
import TinyKVProto

/// The gRPC `tinykvpb.TinyKv` service: a thin adapter from RPCs to the handlers.
///
/// RPCs whose subsystem has not landed yet answer `UNIMPLEMENTED` with a message saying so.
public struct TinyKvService<S: Storage>: Tinykvpb_TinyKv.SimpleServiceProtocol {
  private let raw: RawHandler<S>

  public init(storage: S) {
    raw = RawHandler(storage: storage)
  }

  // MARK: Raw API

  public func rawGet(
    request: Kvrpcpb_RawGetRequest, context: ServerContext
  ) async throws -> Kvrpcpb_RawGetResponse {
    await raw.get(request)
  }

  public func rawPut(
    request: Kvrpcpb_RawPutRequest, context: ServerContext
  ) async throws -> Kvrpcpb_RawPutResponse {
    await raw.put(request)
  }

  public func rawDelete(
    request: Kvrpcpb_RawDeleteRequest, context: ServerContext
  ) async throws -> Kvrpcpb_RawDeleteResponse {
    await raw.delete(request)
  }

  public func rawScan(
    request: Kvrpcpb_RawScanRequest, context: ServerContext
  ) async throws -> Kvrpcpb_RawScanResponse {
    await raw.scan(request)
  }

  // MARK: Transactions

  public func kvGet(
    request: Kvrpcpb_GetRequest, context: ServerContext
  ) async throws -> Kvrpcpb_GetResponse {
    throw Unavailable.transactions("KvGet")
  }

  public func kvScan(
    request: Kvrpcpb_ScanRequest, context: ServerContext
  ) async throws -> Kvrpcpb_ScanResponse {
    throw Unavailable.transactions("KvScan")
  }

  public func kvPrewrite(
    request: Kvrpcpb_PrewriteRequest, context: ServerContext
  ) async throws -> Kvrpcpb_PrewriteResponse {
    throw Unavailable.transactions("KvPrewrite")
  }

  public func kvCommit(
    request: Kvrpcpb_CommitRequest, context: ServerContext
  ) async throws -> Kvrpcpb_CommitResponse {
    throw Unavailable.transactions("KvCommit")
  }

  public func kvCheckTxnStatus(
    request: Kvrpcpb_CheckTxnStatusRequest, context: ServerContext
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    throw Unavailable.transactions("KvCheckTxnStatus")
  }

  public func kvBatchRollback(
    request: Kvrpcpb_BatchRollbackRequest, context: ServerContext
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    throw Unavailable.transactions("KvBatchRollback")
  }

  public func kvResolveLock(
    request: Kvrpcpb_ResolveLockRequest, context: ServerContext
  ) async throws -> Kvrpcpb_ResolveLockResponse {
    throw Unavailable.transactions("KvResolveLock")
  }

  // MARK: Store to store

  public func raft(
    request: RPCAsyncSequence<RaftServerpb_RaftMessage, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done {
    throw Unavailable.replication("Raft")
  }

  public func snapshot(
    request: RPCAsyncSequence<RaftServerpb_SnapshotChunk, any Error>, context: ServerContext
  ) async throws -> RaftServerpb_Done {
    throw Unavailable.replication("Snapshot")
  }

  public func coprocessor(
    request: Coprocessor_Request, context: ServerContext
  ) async throws -> Coprocessor_Response {
    throw RPCError(
      code: .unimplemented, message: "Coprocessor: SQL push-down is not supported by this store")
  }
}

/// The `UNIMPLEMENTED` answers of RPCs whose subsystem is not in this build.
enum Unavailable {
  static func transactions(_ method: String) -> RPCError {
    RPCError(code: .unimplemented, message: "\(method): transactions are not available yet")
  }

  static func replication(_ method: String) -> RPCError {
    RPCError(
      code: .unimplemented,
      message: "\(method): this store runs standalone and takes no raft messages")
  }
}
