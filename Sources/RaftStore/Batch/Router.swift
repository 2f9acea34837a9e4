import Dispatch
import Synchronization
import TinyKVProto

/// Per-region mailboxes, the store's own mailbox, and the signal that wakes the raft loop.
///
/// Any thread may ``send(_:to:)``; the raft loop ``take(wait:)``s every mailbox with work at
/// once (one poll round), so many messages for many regions are handled in one round and their
/// writes share one sync. What no region's peer can handle (a Raft message for a region this
/// store has no peer of yet, a split's new region) goes to the store's mailbox, which the raft
/// loop handles first in its round.
package final class Router: Sendable {
  /// States: running (`stopped == false`) → stopped (final; `take` returns nil, sends fail).
  /// Invariant: `scheduled` lists exactly the regions whose mailbox is non-empty, in the order
  /// they became non-empty.
  private struct State {
    var mailboxes: [UInt64: [PeerMessage]] = [:]
    var scheduled: [UInt64] = []
    var storeMailbox: [StoreMessage] = []
    var pollerWaiting = false
    var stopped = false
  }

  private let state = Mutex(State())
  private let wake = DispatchSemaphore(value: 0)

  package init() {}

  /// Makes `regionID` reachable.
  package func register(_ regionID: UInt64) {
    state.withLock { state in
      if state.mailboxes[regionID] == nil { state.mailboxes[regionID] = [] }
    }
  }

  /// How many regions have a mailbox (a peer on this store).
  package var regionCount: Int { state.withLock { $0.mailboxes.count } }

  /// Makes `regionID` unreachable (its peer was destroyed): later sends to it fail.
  /// - Returns: the messages still queued for it, so their callbacks can be failed.
  package func unregister(_ regionID: UInt64) -> [PeerMessage] {
    state.withLock { state in
      state.scheduled.removeAll { $0 == regionID }
      return state.mailboxes.removeValue(forKey: regionID) ?? []
    }
  }

  /// Queues `message` for `regionID`.
  /// - Returns: false (and the message is dropped) if the region is unknown or the router
  ///   stopped; the caller fails its callback.
  @discardableResult
  package func send(_ message: PeerMessage, to regionID: UInt64) -> Bool {
    let (accepted, wakePoller) = state.withLock { state -> (Bool, Bool) in
      guard !state.stopped, state.mailboxes[regionID] != nil else { return (false, false) }
      if state.mailboxes[regionID]!.isEmpty { state.scheduled.append(regionID) }
      state.mailboxes[regionID]!.append(message)
      let wakePoller = state.pollerWaiting
      state.pollerWaiting = false
      return (true, wakePoller)
    }
    if wakePoller { wake.signal() }
    return accepted
  }

  /// Queues a Raft message from another store for its region's peer, or, if this store has no
  /// peer of the region, for the store (which may create the peer).
  package func deliver(_ message: RaftServerpb_RaftMessage) {
    deliver(contentsOf: [message])
  }

  /// Queues Raft messages from another store as ``deliver(_:)`` does, in order, under one lock
  /// and with at most one wake of the raft loop.
  package func deliver(contentsOf messages: [RaftServerpb_RaftMessage]) {
    let wakePoller = state.withLock { state -> Bool in
      guard !state.stopped else { return false }
      for message in messages {
        if state.mailboxes[message.regionID] != nil {
          if state.mailboxes[message.regionID]!.isEmpty { state.scheduled.append(message.regionID) }
          state.mailboxes[message.regionID]!.append(.raft(message))
        } else {
          state.storeMailbox.append(.raft(message))
        }
      }
      let wakePoller = state.pollerWaiting
      state.pollerWaiting = false
      return wakePoller
    }
    if wakePoller { wake.signal() }
  }

  /// Queues `message` for the store itself (dropped once the router stopped).
  package func send(_ message: StoreMessage) {
    let wakePoller = state.withLock { state -> Bool in
      guard !state.stopped else { return false }
      state.storeMailbox.append(message)
      let wakePoller = state.pollerWaiting
      state.pollerWaiting = false
      return wakePoller
    }
    if wakePoller { wake.signal() }
  }

  /// Sends a tick to every region (the store's single timer).
  package func broadcastTick() {
    let wakePoller = state.withLock { state -> Bool in
      guard !state.stopped else { return false }
      // Sorted, so the order of the round does not depend on hashing (simulation replays).
      for regionID in state.mailboxes.keys.sorted() {
        if state.mailboxes[regionID]!.isEmpty { state.scheduled.append(regionID) }
        state.mailboxes[regionID]!.append(.tick)
      }
      let wakePoller = state.pollerWaiting
      state.pollerWaiting = false
      return wakePoller
    }
    if wakePoller { wake.signal() }
  }

  /// One poll round's mail: the store's messages, then each region's, regions in the order
  /// their mailboxes became non-empty.
  package struct Mail {
    package var store: [StoreMessage]
    package var regions: [(regionID: UInt64, messages: [PeerMessage])]
    var isEmpty: Bool { store.isEmpty && regions.isEmpty }
  }

  /// Takes the store's mailbox and every non-empty region mailbox. With `wait`, blocks until
  /// there is some mail.
  /// - Returns: the mail; nil once stopped.
  package func take(wait: Bool) -> Mail? {
    while true {
      let taken = state.withLock { state -> Mail? in
        if state.stopped { return nil }
        let regions = state.scheduled.map { regionID in
          (regionID: regionID, messages: state.mailboxes[regionID]!)
        }
        for regionID in state.scheduled { state.mailboxes[regionID] = [] }
        state.scheduled.removeAll(keepingCapacity: true)
        let mail = Mail(store: state.storeMailbox, regions: regions)
        state.storeMailbox = []
        if mail.isEmpty && wait { state.pollerWaiting = true }
        return mail
      }
      guard let taken else { return nil }
      if !taken.isEmpty || !wait { return taken }
      self.wake.wait()
    }
  }

  /// Stops the router: later sends fail and `take` returns nil.
  /// - Returns: the messages still queued, so their callbacks can be failed.
  package func stop() -> [PeerMessage] {
    let (left, wakePoller) = state.withLock { state -> ([PeerMessage], Bool) in
      state.stopped = true
      let left = state.scheduled.flatMap { state.mailboxes[$0]! }
      state.mailboxes = [:]
      state.scheduled = []
      let wakePoller = state.pollerWaiting
      state.pollerWaiting = false
      return (left, wakePoller)
    }
    if wakePoller { wake.signal() }
    return left
  }
}
