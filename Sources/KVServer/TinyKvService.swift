import Coprocessor
import GRPCCore
import Storage
import TinyKVGRPC
import TinyKVProto
import Transaction

/// The gRPC `tinykvpb.TinyKv` service: a thin adapter from RPCs to the handlers.
public struct TinyKvService<S: Storage>: Tinykvpb_TinyKv.SimpleServiceProtocol {
  let raw: RawHandler<S>
  let txn: TransactionHandler<S>
  let copr: CoprocessorHandler<S>
  /// Takes the `Raft` and `Snapshot` RPCs; nil on a standalone store.
  let receiver: (any RaftMessageReceiver)?

  /// A service over `storage`.
  /// - Parameters:
  ///   - receiver: the replicated store that other stores' Raft messages and snapshots go to;
  ///     nil (standalone) answers `Raft` and `Snapshot` with `UNIMPLEMENTED`.
  public init(storage: S, receiver: (any RaftMessageReceiver)? = nil) {
    self.init(
      raw: RawHandler(storage: storage), txn: TransactionHandler(storage: storage),
      copr: CoprocessorHandler(storage: storage), receiver: receiver)
  }

  /// A service over handlers another front end (TiKV's protocol) uses too, so transactional
  /// commands from both take the same latches and push-downs from both the same threads.
  /// - Parameters:
  ///   - receiver: as in ``init(storage:receiver:)``.
  public init(
    raw: RawHandler<S>, txn: TransactionHandler<S>, copr: CoprocessorHandler<S>,
    receiver: (any RaftMessageReceiver)? = nil
  ) {
    self.raw = raw
    self.txn = txn
    self.copr = copr
    self.receiver = receiver
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
  // Store to store (Raft, Snapshot): TinyKvService+StoreToStore.swift

  /// SQL push-down (docs/COPROCESSOR.md). Storage failures become a status as for the
  /// transactional RPCs.
  public func coprocessor(
    request: Coprocessor_Request, context: ServerContext
  ) async throws -> Coprocessor_Response {
    try await TransactionRPCErrors.mapping("Coprocessor") { try await copr.handle(request) }
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
