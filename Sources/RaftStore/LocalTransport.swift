import Synchronization
import TinyKVProto

/// Carries Raft messages between stores of one process, straight into the destination's
/// mailbox; a `MsgSnapshot`'s files are streamed from the sender's snapshot files to the
/// receiver's first, and the outcome is reported to the sender. For benchmarks and
/// single-process clusters; stores on other machines need a network transport.
public final class LocalTransport: Transport {
  private let stores = Mutex<[UInt64: RaftStore]>([:])

  /// A transport connecting no store yet.
  public init() {}

  /// Makes `store` reachable (call before starting it).
  public func add(_ store: RaftStore) { stores.withLock { $0[store.storeID] = store } }

  /// Makes store `storeID` unreachable (messages to it are dropped, as to a stopped store).
  public func remove(_ storeID: UInt64) { _ = stores.withLock { $0.removeValue(forKey: storeID) } }

  public func send(_ message: RaftServerpb_RaftMessage) {
    let (from, to) = stores.withLock {
      ($0[message.fromPeer.storeID], $0[message.toPeer.storeID])
    }
    guard let to else {
      from?.report(.unreachable(regionID: message.regionID, toPeerID: message.toPeer.id))
      return
    }
    guard message.message.msgType == .msgSnapshot, let from else {
      to.deliver(message)
      return
    }
    let succeeded = (try? streamSnapshot(message, from: from.snapshots, to: to.snapshots)) != nil
    if succeeded { to.deliver(message) }
    from.report(
      .snapshot(regionID: message.regionID, toPeerID: message.toPeer.id, succeeded: succeeded))
  }
}
