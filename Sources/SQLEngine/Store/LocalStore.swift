import Client
import Coprocessor
import Foundation
import Storage
import TinyKVProto
import Transaction

/// A store in this process: one standalone storage with its transaction and coprocessor
/// handlers, reached without a network (`tinysql-server --store=local`).
public struct LocalStore<S: Storage>: TxnRPC, CoprocessorRouting {
  let transactions: TransactionHandler<S>
  let coprocessor: CoprocessorHandler<S>

  /// Handlers over `storage`.
  public init(storage: S) {
    transactions = TransactionHandler(storage: storage)
    coprocessor = CoprocessorHandler(storage: storage)
  }

  public func get(_ request: Kvrpcpb_GetRequest) async throws -> Kvrpcpb_GetResponse {
    try await transactions.get(request)
  }

  public func scan(_ request: Kvrpcpb_ScanRequest) async throws -> Kvrpcpb_ScanResponse {
    try await transactions.scan(request)
  }

  public func prewrite(_ request: Kvrpcpb_PrewriteRequest) async throws
    -> Kvrpcpb_PrewriteResponse
  {
    try await transactions.prewrite(request)
  }

  public func commit(_ request: Kvrpcpb_CommitRequest) async throws -> Kvrpcpb_CommitResponse {
    try await transactions.commit(request)
  }

  public func checkTxnStatus(
    _ request: Kvrpcpb_CheckTxnStatusRequest
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    try await transactions.checkTxnStatus(request)
  }

  public func batchRollback(
    _ request: Kvrpcpb_BatchRollbackRequest
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    try await transactions.batchRollback(request)
  }

  public func resolveLock(_ request: Kvrpcpb_ResolveLockRequest) async throws
    -> Kvrpcpb_ResolveLockResponse
  {
    try await transactions.resolveLock(request)
  }

  public func coprocessorRegion(
    _ request: Coprocessor_Request
  ) async throws -> (response: Coprocessor_Response, next: Data?) {
    (try await coprocessor.handle(request), nil)
  }
}

extension ClientStore {
  /// A store in this process over `storage`, with timestamps from a hybrid clock.
  public static func local<S: Storage>(
    storage: S
  ) -> ClientStore<LocalStore<S>, HybridClock>
  where Router == LocalStore<S>, Oracle == HybridClock {
    ClientStore(client: TxnClient(rpc: LocalStore(storage: storage), oracle: HybridClock()))
  }
}
