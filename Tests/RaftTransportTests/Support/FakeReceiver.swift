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

  func deliver(contentsOf messages: [RaftServerpb_RaftMessage]) {
    delivered.withLock { $0 += messages }
    batches.withLock { $0 += 1 }
  }

  /// How many batches (`BatchRaft` stream messages) were delivered.
  let batches = Mutex(0)

  /// Every message delivered so far, in order.
  var messages: [RaftServerpb_RaftMessage] { delivered.withLock { $0 } }
}
