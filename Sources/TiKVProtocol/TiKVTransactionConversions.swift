import GRPCCore
import SwiftProtobuf
import TiKVProto
import TinyKVProto

extension TiKVKvrpcpb_Op {
  /// TiKV's number of TinyKV's op: the same but for Lock and Rollback, which the two protocols
  /// swap (TinyKV: Rollback 2, Lock 3; kvproto: Lock 2, Rollback 3).
  init(tinyKV op: Kvrpcpb_Op) {
    self = Self(rawValue: Self.swappingLockAndRollback(op.rawValue)) ?? .put
  }

  /// TinyKV's op of this one (see ``init(tinyKV:)``); the shared locks have none.
  var tinyKV: Kvrpcpb_Op? {
    rawValue > TiKVKvrpcpb_Op.checkNotExists.rawValue
      ? nil : Kvrpcpb_Op(rawValue: Self.swappingLockAndRollback(rawValue))
  }

  static func swappingLockAndRollback(_ value: Int) -> Int {
    switch value {
    case 2: 3
    case 3: 2
    default: value
    }
  }
}

extension TiKVKvrpcpb_LockInfo {
  /// The TiKV form of a lock: the same fields (kvproto's numbers), `lock_type` renumbered.
  init(tinyKV info: Kvrpcpb_LockInfo) {
    self = (try? info.reencoded()) ?? Self()
    lockType = TiKVKvrpcpb_Op(tinyKV: info.lockType)
  }

  /// Renumbers `lock_type` of a lock reencoded from TinyKV's form (see `TiKVKvrpcpb_Op`).
  mutating func renumberLockType() {
    lockType =
      TiKVKvrpcpb_Op(rawValue: TiKVKvrpcpb_Op.swappingLockAndRollback(lockType.rawValue))
      ?? .put
  }
}

extension TiKVKvrpcpb_KeyError {
  /// The TiKV form of a per-key outcome: TinyKV's `KeyError` (`locked`, `retryable`, `abort`,
  /// `conflict`, `already_exist`, `txn_not_found`, `commit_ts_expired`, ...) has kvproto's field
  /// numbers, so it converts field for field; only a lock's `lock_type` is renumbered.
  init(tinyKV error: Kvrpcpb_KeyError) {
    do {
      self = try error.reencoded()
      renumberLockType()
    } catch {
      self.init()
      abort = "unconvertible key error: \(error)"
    }
  }

  /// Renumbers the `lock_type` of `locked`, if any (reencoded from TinyKV's form).
  mutating func renumberLockType() {
    if hasLocked { locked.renumberLockType() }
  }
}

extension TiKVKvrpcpb_Mutation {
  /// TinyKV's mutation: the same key and value, and the op renumbered.
  /// - Throws: `INVALID_ARGUMENT` for Rollback, which is not a mutation one prewrites or locks;
  ///   `UNIMPLEMENTED` for the shared locks and for assertions (`method` names the RPC).
  func tinyKV(_ method: String) throws -> Kvrpcpb_Mutation {
    if op == .rollback {
      throw RPCError(
        code: .invalidArgument, message: "\(method): Rollback is not a mutation to apply")
    }
    guard let tinyOp = op.tinyKV else { throw NotServed.notYet(method, "the mutation op \(op)") }
    if assertion != TiKVKvrpcpb_Assertion.none { throw NotServed.notYet(method, "assertions") }
    var mutation = Kvrpcpb_Mutation()
    mutation.op = tinyOp
    mutation.key = key
    mutation.value = value
    return mutation
  }
}

/// A TiKV transactional request: one the adapter reencodes as its TinyKV twin.
protocol TiKVTxnRequest: SwiftProtobuf.Message {
  var context: TiKVKvrpcpb_Context { get }
}

/// A TinyKV transactional request, whose context the adapter sets.
protocol TinyKVTxnRequest: SwiftProtobuf.Message {
  var context: Kvrpcpb_Context { get set }
}

/// A TiKV transactional response reencoded from its TinyKV twin.
protocol TiKVTxnResponse: TiKVRegionErrorResponse, SwiftProtobuf.Message {
  /// Renumbers the `lock_type` of every lock it reports (see `TiKVKvrpcpb_Op`).
  mutating func renumberLockTypes()
}

/// A response whose only locks are in its one `error`.
protocol TiKVKeyErrorResponse: TiKVTxnResponse {
  var error: TiKVKvrpcpb_KeyError { get set }
  var hasError: Bool { get }
}

extension TiKVKeyErrorResponse {
  mutating func renumberLockTypes() {
    if hasError { error.renumberLockType() }
  }
}

/// A response whose only locks are in its `errors`.
protocol TiKVKeyErrorsResponse: TiKVTxnResponse {
  var errors: [TiKVKvrpcpb_KeyError] { get set }
}

extension TiKVKeyErrorsResponse {
  mutating func renumberLockTypes() {
    for index in errors.indices { errors[index].renumberLockType() }
  }
}

/// A response with `pairs` (their errors) and an `error`.
protocol TiKVPairsResponse: TiKVKeyErrorResponse {
  var pairs: [TiKVKvrpcpb_KvPair] { get set }
}

extension TiKVPairsResponse {
  mutating func renumberLockTypes() {
    if hasError { error.renumberLockType() }
    for index in pairs.indices where pairs[index].hasError {
      pairs[index].error.renumberLockType()
    }
  }
}

/// A response with `locks` and an `error`.
protocol TiKVLocksResponse: TiKVKeyErrorResponse {
  var locks: [TiKVKvrpcpb_LockInfo] { get set }
}

extension TiKVLocksResponse {
  mutating func renumberLockTypes() {
    if hasError { error.renumberLockType() }
    for index in locks.indices { locks[index].renumberLockType() }
  }
}

extension TiKVKvrpcpb_GetRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_ScanRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_BatchGetRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_PrewriteRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_CommitRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_BatchRollbackRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_CleanupRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_TxnHeartBeatRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_ScanLockRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_CheckSecondaryLocksRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_PessimisticLockRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_PessimisticRollbackRequest: TiKVTxnRequest {}
extension TiKVKvrpcpb_ResolveLockRequest: TiKVTxnRequest {}

extension Kvrpcpb_GetRequest: TinyKVTxnRequest {}
extension Kvrpcpb_ScanRequest: TinyKVTxnRequest {}
extension Kvrpcpb_BatchGetRequest: TinyKVTxnRequest {}
extension Kvrpcpb_PrewriteRequest: TinyKVTxnRequest {}
extension Kvrpcpb_CommitRequest: TinyKVTxnRequest {}
extension Kvrpcpb_BatchRollbackRequest: TinyKVTxnRequest {}
extension Kvrpcpb_CleanupRequest: TinyKVTxnRequest {}
extension Kvrpcpb_TxnHeartBeatRequest: TinyKVTxnRequest {}
extension Kvrpcpb_ScanLockRequest: TinyKVTxnRequest {}
extension Kvrpcpb_CheckSecondaryLocksRequest: TinyKVTxnRequest {}
extension Kvrpcpb_PessimisticLockRequest: TinyKVTxnRequest {}
extension Kvrpcpb_PessimisticRollbackRequest: TinyKVTxnRequest {}
extension Kvrpcpb_ResolveLockRequest: TinyKVTxnRequest {}

extension TiKVKvrpcpb_GetResponse: TiKVKeyErrorResponse {}
extension TiKVKvrpcpb_CommitResponse: TiKVKeyErrorResponse {}
extension TiKVKvrpcpb_BatchRollbackResponse: TiKVKeyErrorResponse {}
extension TiKVKvrpcpb_CleanupResponse: TiKVKeyErrorResponse {}
extension TiKVKvrpcpb_TxnHeartBeatResponse: TiKVKeyErrorResponse {}
extension TiKVKvrpcpb_ResolveLockResponse: TiKVKeyErrorResponse {}
extension TiKVKvrpcpb_PrewriteResponse: TiKVKeyErrorsResponse {}
extension TiKVKvrpcpb_PessimisticLockResponse: TiKVKeyErrorsResponse {}
extension TiKVKvrpcpb_PessimisticRollbackResponse: TiKVKeyErrorsResponse {}
extension TiKVKvrpcpb_ScanResponse: TiKVPairsResponse {}
extension TiKVKvrpcpb_BatchGetResponse: TiKVPairsResponse {}
extension TiKVKvrpcpb_ScanLockResponse: TiKVLocksResponse {}
extension TiKVKvrpcpb_CheckSecondaryLocksResponse: TiKVLocksResponse {}
extension TiKVKvrpcpb_CheckTxnStatusResponse: TiKVRegionErrorResponse {}
