import Foundation
import Storage
import TinyKVProto

/// KvBatchGet: the values of many keys in the snapshot at `version`. A key whose lock blocks the
/// read comes back as a pair carrying the lock in its `error`; a key without a value is left
/// out, as in TiKV.
struct BatchGet: ReadCommand {
  let request: Kvrpcpb_BatchGetRequest
  var context: Kvrpcpb_Context { request.context }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> Kvrpcpb_BatchGetResponse {
    var response = Kvrpcpb_BatchGetResponse()
    for key in request.keys {
      var pair = Kvrpcpb_KvPair()
      pair.key = key
      if let lock = try reader.lock(key), lock.blocksRead(at: request.version) {
        pair.error = .locked(lock, key: key)
      } else if let value = try reader.value(key, at: request.version) {
        pair.value = value
      } else {
        continue
      }
      response.pairs.append(pair)
    }
    return response
  }
}
