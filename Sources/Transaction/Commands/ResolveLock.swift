import Foundation
import Storage
import TinyKVProto

/// KvResolveLock: commits or rolls back every key still locked by the transactions it names.
///
/// The transactions are `txn_infos` (each `status` 0 rolls back, otherwise commits at
/// `status`), or, if that is empty, the one of `start_version` (committed at `commit_version`
/// if > 0, else rolled back). With `keys`, only those keys are resolved; otherwise every key the
/// transactions lock. A pessimistic lock "committed" this way is only removed, as in TiKV.
///
/// The handler first finds the locked keys in a snapshot, then latches them and runs this
/// command, which checks each key again under its latch.
struct ResolveLock: WriteCommand {
  let request: Kvrpcpb_ResolveLockRequest
  /// The keys that held the transactions' locks when the handler looked.
  let keys: [Data]
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { keys }

  /// Each transaction to resolve, by start ts: its commit ts, or 0 to roll it back.
  static func fates(_ request: Kvrpcpb_ResolveLockRequest) -> [UInt64: UInt64] {
    guard !request.txnInfos.isEmpty else { return [request.startVersion: request.commitVersion] }
    return Dictionary(
      request.txnInfos.map { ($0.txn, $0.status) }, uniquingKeysWith: { first, _ in first })
  }

  /// The keys to resolve: `keys` if given, else those the transactions lock in `reader`'s
  /// snapshot.
  static func lockedKeys<Reader>(
    _ reader: MvccReader<Reader>, _ request: Kvrpcpb_ResolveLockRequest
  ) throws -> [Data] {
    if !request.keys.isEmpty { return request.keys }
    let fates = fates(request)
    return try reader.locks { fates[$0.startTS] != nil }.map(\.key)
  }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_ResolveLockResponse> {
    var response = Kvrpcpb_ResolveLockResponse()
    let fates = Self.fates(request)
    for (startTS, commitTS) in fates where commitTS > 0 && commitTS <= startTS && !keys.isEmpty {
      throw TransactionError.invalid("commit ts \(commitTS) is not after start ts \(startTS)")
    }
    var modifications: [Modification] = []
    for key in keys {
      // A key whose lock went away meanwhile was resolved by someone else: leave it.
      guard let lock = try reader.lock(key), let commitTS = fates[lock.startTS] else { continue }
      var txn = MvccTxn(reader: reader, startTS: lock.startTS)
      let error: Kvrpcpb_KeyError?
      if commitTS == 0 {
        error = try txn.rollbackKey(key)
      } else if lock.isPessimistic {
        txn.deleteLock(key)
        error = nil
      } else {
        error = try txn.commitKey(key, commitTS: commitTS)
      }
      if let error {
        response.error = error
        return CommandOutput(response: response, modifications: [])
      }
      modifications += txn.modifications
    }
    return CommandOutput(response: response, modifications: modifications)
  }
}
