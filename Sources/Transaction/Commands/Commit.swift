import Foundation
import Storage
import TinyKVProto

/// KvCommit: the second phase. Replaces the transaction's lock on each key with a write record
/// at `commit_version`. Stops at the first key that fails.
struct Commit: WriteCommand {
  let request: Kvrpcpb_CommitRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { request.keys }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_CommitResponse> {
    var response = Kvrpcpb_CommitResponse()
    guard request.keys.isEmpty || request.commitVersion > request.startVersion else {
      throw TransactionError.invalid(
        "commit ts \(request.commitVersion) is not after start ts \(request.startVersion)")
    }
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    for key in request.keys {
      if let error = try txn.commitKey(key, commitTS: request.commitVersion) {
        response.error = error
        return CommandOutput(response: response, modifications: [])
      }
    }
    return CommandOutput(response: response, modifications: txn.modifications)
  }
}
