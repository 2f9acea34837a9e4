import Foundation
import Storage
import TinyKVProto

/// KvScan: up to `limit` pairs from `start_key` on in the snapshot at `version`. A locked key
/// comes back as a pair carrying the lock in its `error`, and the scan goes on past it.
struct Scan: ReadCommand {
  let request: Kvrpcpb_ScanRequest
  var context: Kvrpcpb_Context { request.context }

  func execute<Reader: StorageReader>(_ reader: MvccReader<Reader>) throws -> Kvrpcpb_ScanResponse {
    var response = Kvrpcpb_ScanResponse()
    guard request.limit > 0 else { return response }
    var scanner = try Scanner(reader, from: request.startKey, at: request.version)
    response.pairs = try scanner.next(limit: Int(request.limit)).map { entry in
      var pair = Kvrpcpb_KvPair()
      pair.key = entry.key
      switch entry {
      case .value(_, let value): pair.value = value
      case .locked(let key, let lock): pair.error = .locked(lock, key: key)
      }
      return pair
    }
    return response
  }
}
