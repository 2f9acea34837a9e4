import Foundation
import Storage
import TinyKVProto

/// KvCheckSecondaryLocks: the state of the transaction of `start_version` on its secondary
/// `keys`, checked in order (TiKV's rules).
///
/// - A key holding the transaction's prewrite lock: the lock is reported in `locks`.
/// - A key holding its pessimistic lock: the lock is removed and a rollback record written: the
///   transaction is rolled back.
/// - A key it committed: `commit_ts` is set, the check stops.
/// - A key it rolled back: rolled back, the check stops.
/// - A key with none of these (another transaction's lock included): a rollback record is
///   written so the transaction can never commit it, and it is rolled back.
///
/// Rolled back: `locks` empty and `commit_ts` 0.
struct CheckSecondaryLocks: WriteCommand {
  let request: Kvrpcpb_CheckSecondaryLocksRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { request.keys }

  /// What one key says about the transaction.
  private enum KeyStatus {
    case locked(Lock)
    case committed(UInt64)
    case rolledBack
  }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_CheckSecondaryLocksResponse> {
    var response = Kvrpcpb_CheckSecondaryLocksResponse()
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    for key in request.keys {
      switch try status(of: key, in: &txn) {
      case .locked(let lock):
        response.locks.append(lock.info(key: key))
      case .committed(let commitTS):
        return CommandOutput(
          response: .with { $0.commitTs = commitTS }, modifications: txn.modifications)
      case .rolledBack:
        return CommandOutput(response: .init(), modifications: txn.modifications)
      }
    }
    return CommandOutput(response: response, modifications: txn.modifications)
  }

  /// The transaction's state on `key`, rolling the key back where TiKV does.
  private func status<Reader>(of key: Data, in txn: inout MvccTxn<Reader>) throws -> KeyStatus {
    if let lock = try txn.reader.lock(key), lock.startTS == txn.startTS {
      if !lock.isPessimistic { return .locked(lock) }
      txn.deleteLock(key)
    } else if let existing = try txn.reader.write(key, startTS: txn.startTS) {
      return existing.write.kind == .rollback ? .rolledBack : .committed(existing.commitTS)
    }
    txn.putWrite(key, commitTS: txn.startTS, Write(startTS: txn.startTS, kind: .rollback))
    return .rolledBack
  }
}
