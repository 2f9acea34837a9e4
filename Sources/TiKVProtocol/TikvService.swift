import Coprocessor
import GRPCCore
import KVServer
import Storage
import TiKVGRPC
import TiKVProto
import Transaction

/// The gRPC `tikvpb.Tikv` service (TiKV's own protocol, the subset in proto/tikv): a thin
/// adapter that turns TiKV's requests into the handlers' (`RawHandler`, `TransactionHandler`)
/// and their answers back into TiKV's, so TiKV's clients work against the store unchanged.
///
/// Keys are the clients' keys: a raw request's keys are stored as they are, a transactional
/// request's are user keys that the transaction layer encodes (memcomparable), exactly as for
/// TinyKV's own requests, so the same region checks apply. The RPCs and request fields whose
/// semantics the store does not have answer `UNIMPLEMENTED` saying so; see
/// docs/TIKV-PROTOCOL.md.
public struct TikvService<S: Storage>: Tikvpb_Tikv.SimpleServiceProtocol {
  let raw: RawHandler<S>
  let txn: TransactionHandler<S>
  let copr: CoprocessorHandler<S>

  /// A service over `storage`, sharing nothing mutable with another service over it (the
  /// transaction handler's latches are its own; see ``init(raw:txn:copr:)`` to share them).
  public init(storage: S) {
    self.init(
      raw: RawHandler(storage: storage), txn: TransactionHandler(storage: storage),
      copr: CoprocessorHandler(storage: storage))
  }

  /// A service over the handlers another front end uses too, so transactional commands from
  /// both protocols take the same latches and push-downs from both the same threads.
  public init(raw: RawHandler<S>, txn: TransactionHandler<S>, copr: CoprocessorHandler<S>) {
    self.raw = raw
    self.txn = txn
    self.copr = copr
  }

  // Raw API: TikvService+Raw.swift. Transactions: TikvService+Transactions.swift. Push-down:
  // TikvService+Coprocessor.swift.
}

/// The refusals of requests (or parts of requests) this store does not serve.
enum NotServed {
  /// An RPC or a request field whose semantics the transaction layer does not have yet.
  static func notYet(_ method: String, _ feature: String) -> RPCError {
    RPCError(
      code: .unimplemented,
      message: "\(method): \(feature) is not supported by this store yet (TiKV protocol subset)")
  }

  /// Refuses a context of an API version other than V1: this store keeps raw keys as they are
  /// (no keyspace prefix, no TTL in the value).
  static func checkAPIVersion(_ context: TiKVKvrpcpb_Context, _ method: String) throws {
    guard context.apiVersion != .v1 else { return }
    throw RPCError(
      code: .invalidArgument,
      message:
        "\(method): API version \(context.apiVersion) is not supported: this store speaks API V1"
        + " only (keys as they are, no TTL, no keyspaces)")
  }
}
