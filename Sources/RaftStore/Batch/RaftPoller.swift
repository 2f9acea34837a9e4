import Engine
import Failpoints
import Foundation
import Raft
import Storage
import TinyKVProto

/// The raft loop, run on its own thread: each round takes every mailbox with work, lets the
/// peers handle their messages, collects every peer's `Ready`, writes all their entries and
/// hard states in **one** raft-engine WriteBatch with **one** sync (if any needs it), and only
/// then sends messages, hands committed entries to the apply loop and advances the nodes. A
/// leader's appends and heartbeats leave before the write, so followers write in parallel.
///
/// Not `Sendable`: it is created on the raft thread and never leaves it.
final class RaftPoller {
  let raftDB: Database
  let kvDB: Database
  /// What the store's peers share; peers created here get it too.
  let context: PeerContext
  private let apply: ([ApplyTask]) -> Void
  private let syncLog: Bool
  private let statistics: RaftStoreStatistics
  var peers: [UInt64: Peer]
  /// `peers`' keys in order: rounds visit peers in a fixed order, so a simulation replays.
  var regionIDs: [UInt64]
  private var moreReady = false
  /// Tombstone tasks of stale peers, handed to the apply loop after this round's entries.
  private var tombstones: [ApplyTask] = []

  private var router: Router { context.router }

  /// A poller over `peers`, handing committed work to `apply` (the apply loop's queue, or a
  /// simulation's).
  init(
    raftDB: Database, kvDB: Database, context: PeerContext,
    apply: @escaping ([ApplyTask]) -> Void, peers: [UInt64: Peer], syncLog: Bool = true,
    statistics: RaftStoreStatistics = RaftStoreStatistics()
  ) {
    self.syncLog = syncLog
    self.statistics = statistics
    self.raftDB = raftDB
    self.kvDB = kvDB
    self.context = context
    self.apply = apply
    self.peers = peers
    self.regionIDs = peers.keys.sorted()
    for peer in peers.values { context.regions.update(peer.region) }
  }

  /// Runs rounds until the router stops, then fails what is still waiting (the raft thread).
  func run() {
    while poll(wait: true) {}
    stop()
  }

  /// Runs one round: the mail taken from the router (waiting for some if `wait` and no peer
  /// has a `Ready` left over), then every `Ready`.
  /// - Returns: false once the router has stopped.
  @discardableResult
  func poll(wait: Bool) -> Bool {
    guard let mail = router.take(wait: wait && !moreReady) else { return false }
    for message in mail.store { handle(message) }
    for (regionID, messages) in mail.regions {
      if let peer = peers[regionID] {
        handle(messages, by: peer)
      } else {
        let error = RaftStoreError(code: .stopped, message: "region \(regionID) has no peer")
        for message in messages { message.fail(error) }
      }
    }
    moreReady = round()
    return true
  }

  /// Lets `peer` handle its mail (a snapshot that would overlap another peer's range dropped
  /// first), then forgets it if it was destroyed, or queues its tombstone if it learned it is
  /// stale.
  func handle(_ messages: [PeerMessage], by peer: Peer) {
    peer.handle(messages.filter { acceptsSnapshot(in: $0, for: peer) })
    if peer.isDestroyed { drop(peer) } else { context.regions.update(peer.region) }
    if peer.wantsTombstone {
      peer.wantsTombstone = false
      tombstones.append(
        ApplyTask(
          regionID: peer.regionID, region: peer.region, snapshot: nil, entries: [],
          proposals: [], reads: [], tombstone: true))
    }
  }

  /// Forgets a destroyed peer: its mailbox goes (what it still held fails with
  /// `RegionNotFound`), and later messages for the region are dropped by the router.
  private func drop(_ peer: Peer) {
    let regionID = peer.regionID
    peers[regionID] = nil
    regionIDs.removeAll { $0 == regionID }
    context.regions.remove(regionID)
    let error = RegionError.regionNotFound(regionID, storeID: peer.context.storeID)
    for message in router.unregister(regionID) { message.fail(error) }
  }

  /// Fails every proposal and read still waiting in the peers (the store stopped).
  func stop() {
    let error = RaftStoreError(code: .stopped, message: "the store stopped")
    for regionID in regionIDs {
      peers[regionID]?.failEverything(error, because: "the store stopped")
    }
  }

  /// Whether some peer has a `Ready` to process (a simulation polls again before waiting).
  var hasReady: Bool { moreReady }

  /// Persists and finishes every peer's `Ready`.
  /// - Returns: whether a peer has another `Ready` already (then the next round must not wait).
  private func round() -> Bool {
    var readies: [(Peer, Ready)] = []
    var sync = false
    do {
      let batch = try raftDB.makeWriteBatch()
      for regionID in regionIDs {
        guard let peer = peers[regionID] else { continue }
        if let ready = try peer.collectReady(into: batch) {
          sync = sync || ready.mustSync
          readies.append((peer, ready))
        }
      }
      for i in readies.indices {
        let peer = readies[i].0
        peer.sendBeforePersist(&readies[i].1, transport: context.transport)
      }
      if batch.count > 0 {
        _ = Failpoints.evaluate("raftstore::before-persist")
        try raftDB.write(batch, sync: sync && syncLog)
        statistics.wrote(synced: sync && syncLog)
        _ = Failpoints.evaluate("raftstore::after-persist")
      }
    } catch {
      // The raft engine failed: nothing collected may be acknowledged or sent. Like TiKV, stop
      // the process rather than run on a log that may not be on disk.
      preconditionFailure("raft loop: the raft engine failed: \(error)")
    }
    var tasks: [ApplyTask] = []
    for (peer, ready) in readies { peer.finish(ready, transport: context.transport, tasks: &tasks) }
    tasks += tombstones
    tombstones = []
    if !tasks.isEmpty { apply(tasks) }
    return regionIDs.contains { peers[$0]?.node.hasReady ?? false }
  }
}
