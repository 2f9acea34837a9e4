import Foundation
import Storage
import TinyKVProto

/// KvResolveLock: commits (`commit_version` > 0) or rolls back (`commit_version` == 0) every
/// key still locked by the transaction that started at `start_version`.
///
/// The handler first finds the locked keys in a snapshot, then latches them and runs this
/// command, which checks each key again under its latch.
struct ResolveLock: WriteCommand {
  let request: Kvrpcpb_ResolveLockRequest
  /// The keys that held the transaction's locks when the handler looked.
  let keys: [Data]
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { keys }

  /// The keys the transaction that started at `startTS` locks in `reader`'s snapshot.
  static func lockedKeys<Reader>(_ reader: MvccReader<Reader>, startTS: UInt64) throws -> [Data] {
    try reader.locks(startTS: startTS).map(\.key)
  }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_ResolveLockResponse> {
    var response = Kvrpcpb_ResolveLockResponse()
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    let commit = request.commitVersion > 0
    if commit, request.commitVersion <= request.startVersion, !keys.isEmpty {
      throw TransactionError.invalid(
        "commit ts \(request.commitVersion) is not after start ts \(request.startVersion)")
    }
    for key in keys {
      // A key whose lock went away meanwhile was resolved by someone else: leave it.
      guard let lock = try reader.lock(key), lock.startTS == request.startVersion else { continue }
      let error =
        commit ? try txn.commitKey(key, commitTS: request.commitVersion) : try txn.rollbackKey(key)
      if let error {
        response.error = error
        return CommandOutput(response: response, modifications: [])
      }
    }
    return CommandOutput(response: response, modifications: txn.modifications)
  }
}
