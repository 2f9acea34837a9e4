import Foundation
import Storage
import TinyKVProto

/// KvPrewrite: the first phase of a commit. Locks every key of the mutations for the transaction
/// and stages its values, or, if any key is locked by another transaction or was written since
/// the transaction started, changes nothing and reports every such key.
struct Prewrite: WriteCommand {
  let request: Kvrpcpb_PrewriteRequest
  var context: Kvrpcpb_Context { request.context }
  var keysToLatch: [Data] { request.mutations.map(\.key) }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> CommandOutput<Kvrpcpb_PrewriteResponse> {
    var txn = MvccTxn(reader: reader, startTS: request.startVersion)
    var response = Kvrpcpb_PrewriteResponse()
    for mutation in request.mutations {
      if let error = try prewrite(mutation, in: &txn) { response.errors.append(error) }
    }
    // All or nothing: a client that sees an error rolls back or retries the whole prewrite.
    return CommandOutput(
      response: response, modifications: response.errors.isEmpty ? txn.modifications : [])
  }

  private func prewrite<Reader>(
    _ mutation: Kvrpcpb_Mutation, in txn: inout MvccTxn<Reader>
  ) throws -> Kvrpcpb_KeyError? {
    let key = mutation.key
    let kind: Lock.Kind
    switch mutation.op {
    case .put: kind = .put
    case .del: kind = .delete
    case .lock: kind = .lock
    case .rollback, .UNRECOGNIZED:
      throw TransactionError.invalid("prewrite cannot apply mutation op \(mutation.op)")
    }
    let existingLock = try txn.reader.lock(key)
    if let existingLock, existingLock.startTS != txn.startTS {
      return .locked(existingLock, key: key)
    }
    if existingLock == nil, let latest = try txn.reader.mostRecentWrite(key),
      latest.commitTS >= txn.startTS
    {
      if latest.write.kind == .rollback, latest.write.startTS == txn.startTS {
        return .abort("transaction \(txn.startTS) was already rolled back on this key")
      }
      return .conflict(
        startTS: txn.startTS, conflictTS: latest.commitTS, key: key, primary: request.primaryLock)
    }
    txn.putLock(
      key,
      Lock(primary: request.primaryLock, startTS: txn.startTS, ttl: request.lockTtl, kind: kind))
    switch kind {
    case .put: txn.putValue(key, mutation.value)
    case .delete, .lock: txn.deleteValue(key)
    }
    return nil
  }
}
