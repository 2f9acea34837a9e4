import GRPCCore
import TiKVProto
import TinyKVProto

extension TiKVKvrpcpb_KeyError {
  /// The TiKV form of a per-key outcome: TinyKV's `KeyError` (`locked` with its `LockInfo`,
  /// `retryable`, `abort`, `conflict`) has kvproto's field numbers, so it converts field for
  /// field. A lock's `lock_type` is left at `Put`: TinyKV's `LockInfo` does not carry it.
  init(tinyKV error: Kvrpcpb_KeyError) {
    do {
      self = try error.reencoded()
    } catch {
      self.init()
      abort = "unconvertible key error: \(error)"
    }
  }
}

extension TiKVKvrpcpb_Mutation {
  /// TinyKV's mutation: the same key and value, and the op renumbered (kvproto: Put 0, Del 1,
  /// Lock 2; TinyKV: Put 0, Del 1, Lock 3).
  /// - Throws: `UNIMPLEMENTED` for the ops the transaction layer does not have (Insert,
  ///   CheckNotExists, PessimisticLock, shared locks); `INVALID_ARGUMENT` for Rollback, which is
  ///   not a mutation one prewrites.
  func tinyKV() throws -> Kvrpcpb_Mutation {
    var mutation = Kvrpcpb_Mutation()
    mutation.key = key
    mutation.value = value
    switch op {
    case .put: mutation.op = .put
    case .del: mutation.op = .del
    case .lock: mutation.op = .lock
    case .rollback:
      throw RPCError(
        code: .invalidArgument, message: "KvPrewrite: Rollback is not a mutation to prewrite")
    default:
      throw NotServed.notYet("KvPrewrite", "the mutation op \(op)")
    }
    return mutation
  }
}
