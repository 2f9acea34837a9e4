import Foundation
import Storage
import TinyKVProto

/// KvTxnHeartBeat: keeps a transaction alive by raising its primary lock's TTL to
/// `advise_lock_ttl` (never lowering it). Answers the TTL the lock now has, or `txn_not_found`
/// if the transaction holds no lock on `primary_lock`.
struct TxnHeartBeat: WriteCommand {
  let request: Kvrpcpb_TxnHeartBeatRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { [request.primaryLock] }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_TxnHeartBeatResponse> {
    var response = Kvrpcpb_TxnHeartBeatResponse()
    let key = request.primaryLock
    guard var lock = try reader.lock(key), lock.startTS == request.startVersion else {
      response.error = .txnNotFound(startTS: request.startVersion, primary: key)
      return CommandOutput(response: response, modifications: [])
    }
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    if request.adviseLockTtl > lock.ttl {
      lock.ttl = request.adviseLockTtl
      txn.putLock(key, lock)
    }
    response.lockTtl = lock.ttl
    return CommandOutput(response: response, modifications: txn.modifications)
  }
}
