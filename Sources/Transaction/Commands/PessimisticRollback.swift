import Foundation
import Storage
import TinyKVProto

/// KVPessimisticRollback: removes the transaction's pessimistic locks on `keys` whose
/// `for_update_ts` is at most the request's, leaving no trace (the transaction may lock the keys
/// again). Anything else on the keys (other transactions' locks, prewritten locks) is left alone.
struct PessimisticRollback: WriteCommand {
  let request: Kvrpcpb_PessimisticRollbackRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { request.keys }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_PessimisticRollbackResponse> {
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    for key in request.keys {
      if let lock = try reader.lock(key), lock.startTS == request.startVersion,
        lock.isPessimistic, lock.forUpdateTS <= request.forUpdateTs
      {
        txn.deleteLock(key)
      }
    }
    return CommandOutput(
      response: Kvrpcpb_PessimisticRollbackResponse(), modifications: txn.modifications)
  }
}
