import KVServer
import RaftStore
import Synchronization
import TinyKVProto

/// A receiver that records what it is given.
final class FakeReceiver: RaftMessageReceiver {
  let snapshotFiles: any SnapshotFiles
  private let delivered = Mutex<[RaftServerpb_RaftMessage]>([])

  init(snapshotFiles: any SnapshotFiles = FakeSnapshotFiles()) {
    self.snapshotFiles = snapshotFiles
  }

  func deliver(_ message: RaftServerpb_RaftMessage) {
    delivered.withLock { $0.append(message) }
  }

  /// Every message delivered so far, in order.
  var messages: [RaftServerpb_RaftMessage] { delivered.withLock { $0 } }
}
