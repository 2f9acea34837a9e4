import KVServer
import RaftStore
import TinyKVProto

/// A `RaftStore` as the service's receiver (the store itself does not conform yet; its
/// snapshot files come from another change, so this adapter brings its own).
struct StoreReceiver: RaftMessageReceiver {
  let store: RaftStore
  let snapshotFiles: any SnapshotFiles

  func deliver(_ message: RaftServerpb_RaftMessage) {
    store.deliver(message)
  }
}
