import Foundation
import Storage
import TinyKVProto

/// KvCleanup: rolls the transaction of `start_version` back on `key` unless it is still alive.
///
/// - Its lock is there and not expired at `current_ts` (0: don't check the TTL): `locked`.
/// - Its lock is there and expired, or nothing is there: rolled back (a rollback record).
/// - It committed the key: `commit_version` is the commit ts, nothing changes.
/// - It was rolled back already: success, nothing changes.
struct Cleanup: WriteCommand {
  let request: Kvrpcpb_CleanupRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { [request.key] }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_CleanupResponse> {
    var response = Kvrpcpb_CleanupResponse()
    let key = request.key
    if let lock = try reader.lock(key), lock.startTS == request.startVersion,
      request.currentTs != 0, !lock.isExpired(at: request.currentTs)
    {
      response.error = .locked(lock, key: key)
      return CommandOutput(response: response, modifications: [])
    }
    if let existing = try reader.write(key, startTS: request.startVersion),
      existing.write.kind != .rollback
    {
      response.commitVersion = existing.commitTS
      return CommandOutput(response: response, modifications: [])
    }
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    if let error = try txn.rollbackKey(key) { response.error = error }
    return CommandOutput(response: response, modifications: txn.modifications)
  }
}
