import Foundation
import Storage
import TinyKVProto

/// KvBatchRollback: aborts the transaction on each key, leaving rollback records. Fails with
/// `abort`, changing nothing, if the transaction is already committed on any of them.
struct BatchRollback: WriteCommand {
  let request: Kvrpcpb_BatchRollbackRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { request.keys }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_BatchRollbackResponse> {
    var response = Kvrpcpb_BatchRollbackResponse()
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    for key in request.keys {
      if let error = try txn.rollbackKey(key) {
        response.error = error
        return CommandOutput(response: response, modifications: [])
      }
    }
    return CommandOutput(response: response, modifications: txn.modifications)
  }
}
