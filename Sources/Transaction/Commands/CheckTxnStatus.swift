import Foundation
import Storage
import TinyKVProto

/// KvCheckTxnStatus: what became of the transaction that started at `lock_ts`, judged by its
/// primary key.
///
/// - Locked and alive: `lock_ttl` is the lock's TTL, nothing changes.
/// - Locked but expired at `current_ts` (physical times compared): rolled back,
///   `TTLExpireRollback`.
/// - Committed: `commit_version` is its commit timestamp.
/// - Rolled back: all fields zero.
/// - No trace (the prewrite never arrived): a rollback record is written so that it never will,
///   `LockNotExistRollback`.
struct CheckTxnStatus: WriteCommand {
  let request: Kvrpcpb_CheckTxnStatusRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { [request.primaryKey] }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_CheckTxnStatusResponse> {
    var response = Kvrpcpb_CheckTxnStatusResponse()
    var txn = MvccTxn(reader: reader, startTS: request.lockTs)
    let key = request.primaryKey
    if let lock = try reader.lock(key), lock.startTS == request.lockTs {
      if lock.isExpired(at: request.currentTs) {
        txn.removeLock(key, lock)
        txn.putWrite(key, commitTS: request.lockTs, Write(startTS: request.lockTs, kind: .rollback))
        response.action = .ttlexpireRollback
      } else {
        response.lockTtl = lock.ttl
      }
      return CommandOutput(response: response, modifications: txn.modifications)
    }
    if let existing = try reader.write(key, startTS: request.lockTs) {
      if existing.write.kind != .rollback { response.commitVersion = existing.commitTS }
      return CommandOutput(response: response, modifications: [])
    }
    txn.putWrite(key, commitTS: request.lockTs, Write(startTS: request.lockTs, kind: .rollback))
    response.action = .lockNotExistRollback
    return CommandOutput(response: response, modifications: txn.modifications)
  }
}
