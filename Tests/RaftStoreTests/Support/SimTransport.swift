import Foundation
import RaftStore
import Randomness
import Synchronization
import TinyKVProto

/// An in-memory transport between the stores of one process, with filters: isolate a store,
/// cut one direction between two stores, or drop a seeded fraction of messages. A snapshot's
/// files are streamed between the stores' `SnapshotFiles` before its `MsgSnapshot` is
/// delivered, and the sender gets the `DeliveryReport`, as over gRPC.
final class SimTransport: Transport {
  private struct State {
    var stores: [UInt64: RaftStore] = [:]
    var isolated: Set<UInt64> = []
    /// Cut links, as (from store, to store).
    var cut: Set<[UInt64]> = []
    var dropPercent: UInt64 = 0
    var random: UInt64 = 0
    var sent = 0
    var dropped = 0
    var snapshotsDelivered = 0
  }

  private let state = Mutex(State())

  init(seed: UInt64 = 1) {
    state.withLock { $0.random = seed }
  }

  func connect(_ store: RaftStore) { state.withLock { $0.stores[store.storeID] = store } }
  func disconnect(_ storeID: UInt64) {
    _ = state.withLock { $0.stores.removeValue(forKey: storeID) }
  }
  func isolate(_ storeID: UInt64) { _ = state.withLock { $0.isolated.insert(storeID) } }
  func cut(from: UInt64, to: UInt64) { _ = state.withLock { $0.cut.insert([from, to]) } }
  func drop(percent: UInt64) { state.withLock { $0.dropPercent = percent } }
  /// Removes every filter.
  func heal() {
    state.withLock { state in
      state.isolated = []
      state.cut = []
      state.dropPercent = 0
    }
  }

  /// Whether a message from `from` to `to` cannot even be sent (the link is cut or the store
  /// is down), as opposed to lost on the way: a transport reports the former as unreachable.
  private func connectionFails(from: UInt64, to: UInt64) -> Bool {
    state.withLock { state in
      state.isolated.contains(from) || state.isolated.contains(to)
        || state.cut.contains([from, to]) || state.stores[to] == nil
    }
  }

  /// How many snapshots reached their store whole.
  var snapshotsDelivered: Int { state.withLock { $0.snapshotsDelivered } }

  func send(_ message: RaftServerpb_RaftMessage) {
    let from = message.fromPeer.storeID
    let to = message.toPeer.storeID
    let (sender, target) = state.withLock { state -> (RaftStore?, RaftStore?) in
      state.sent += 1
      if state.isolated.contains(from) || state.isolated.contains(to)
        || state.cut.contains([from, to])
      {
        state.dropped += 1
        return (state.stores[from], nil)
      }
      if state.dropPercent > 0 {
        // SplitMix64: the drop pattern follows the seed (thread timing still varies).
        state.random &+= 0x9E37_79B9_7F4A_7C15
        var z = state.random
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        if z % 100 < state.dropPercent {
          state.dropped += 1
          return (state.stores[from], nil)
        }
      }
      return (state.stores[from], state.stores[to])
    }
    guard message.message.msgType == .msgSnapshot else {
      if let target {
        target.deliver(message)
      } else if connectionFails(from: from, to: to) {
        sender?.report(.unreachable(regionID: message.regionID, toPeerID: message.toPeer.id))
      }
      return
    }
    let report = { (succeeded: Bool) -> Void in
      sender?.report(
        .snapshot(regionID: message.regionID, toPeerID: message.toPeer.id, succeeded: succeeded))
    }
    guard let sender, let target else {
      report(false)
      return
    }
    do {
      try streamSnapshot(message, from: sender.snapshots, to: target.snapshots)
    } catch {
      report(false)
      return
    }
    state.withLock { $0.snapshotsDelivered += 1 }
    target.deliver(message)
    report(true)
  }
}
