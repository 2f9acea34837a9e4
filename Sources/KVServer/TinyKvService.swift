import GRPCCore
import Storage
import TinyKVGRPC
import TinyKVProto
import Transaction

/// The gRPC `tinykvpb.TinyKv` service: a thin adapter from RPCs to the handlers.
///
/// RPCs whose subsystem has not landed yet answer `UNIMPLEMENTED` with a message saying so.
public struct TinyKvService<S: Storage>: Tinykvpb_TinyKv.SimpleServiceProtocol {
  private let raw: RawHandler<S>
  let txn: TransactionHandler<S>

  public init(storage: S) {
    raw = RawHandler(storage: storage)
    txn = TransactionHandler(storage: storage)
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

  // Transactions (Kv*): TinyKvService+Transactions.swift

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
  static func replication(_ method: String) -> RPCError {
    RPCError(
      code: .unimplemented,
      message: "\(method): this store runs standalone and takes no raft messages")
  }
}
