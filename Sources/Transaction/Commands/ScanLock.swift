import Foundation
import Storage
import TinyKVProto

/// KvScanLock: the locks of transactions that started at or before `max_version`, from
/// `start_key` to `end_key` (exclusive; empty: no end), at most `limit` (0: no limit), in key
/// order.
struct ScanLock: ReadCommand {
  let request: Kvrpcpb_ScanLockRequest
  var context: Kvrpcpb_Context { request.context }

  func execute<Reader: StorageReader>(
    _ reader: MvccReader<Reader>
  ) throws -> Kvrpcpb_ScanLockResponse {
    var response = Kvrpcpb_ScanLockResponse()
    let found = try reader.locks(
      from: request.startKey, to: request.endKey.isEmpty ? nil : request.endKey,
      limit: request.limit == 0 ? .max : Int(request.limit)
    ) { $0.startTS <= request.maxVersion }
    response.locks = found.map { $0.lock.info(key: $0.key) }
    return response
  }
}
