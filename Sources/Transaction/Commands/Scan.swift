import Foundation
import Storage
import TinyKVProto

/// KvScan: up to `limit` pairs in the snapshot at `version`. A locked key comes back as a pair
/// carrying the lock in its `error`, and the scan goes on past it.
///
/// Ascending (the default): from `start_key` (inclusive) to `end_key` (exclusive; empty: no
/// end). Descending (`reverse`, TiKV's convention): from below `start_key` (exclusive; empty: the
/// last key) down to `end_key` (inclusive). `key_only` leaves the values empty.
struct Scan: ReadCommand {
  let request: Kvrpcpb_ScanRequest
  var context: Kvrpcpb_Context { request.context }

  func execute<Reader: StorageReader>(_ reader: MvccReader<Reader>) throws -> Kvrpcpb_ScanResponse {
    var response = Kvrpcpb_ScanResponse()
    guard request.limit > 0 else { return response }
    let limit = Int(request.limit)
    let entries: [ScanEntry]
    if request.reverse {
      var scanner = try ReverseScanner(
        reader, below: request.startKey, downTo: request.endKey, at: request.version)
      entries = try scanner.next(limit: limit)
    } else {
      var scanner = try Scanner(
        reader, from: request.startKey, to: request.endKey.isEmpty ? nil : request.endKey,
        at: request.version, keyOnly: request.keyOnly)
      entries = try scanner.next(limit: limit)
    }
    response.pairs = entries.map { entry in
      var pair = Kvrpcpb_KvPair()
      pair.key = entry.key
      switch entry {
      case .value(_, let value): if !request.keyOnly { pair.value = value }
      case .locked(let key, let lock): pair.error = .locked(lock, key: key)
      }
      return pair
    }
    return response
  }
}
