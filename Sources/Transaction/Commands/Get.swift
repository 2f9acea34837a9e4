import Foundation
import Storage
import TinyKVProto

/// KvGet: the value of one key in the snapshot at `version`, or the lock that hides it.
struct Get: ReadCommand {
  let request: Kvrpcpb_GetRequest
  var context: Kvrpcpb_Context { request.context }

  func execute<Reader: StorageReader>(_ reader: MvccReader<Reader>) throws -> Kvrpcpb_GetResponse {
    var response = Kvrpcpb_GetResponse()
    if let lock = try reader.lock(request.key), lock.blocksRead(at: request.version) {
      response.error = .locked(lock, key: request.key)
      return response
    }
    if let value = try reader.value(request.key, at: request.version) {
      response.value = value
    } else {
      response.notFound = true
    }
    return response
  }
}
