import Engine
import Foundation
import Raft
import TinyKVProto

/// The raft loop, run on its own thread: each round takes every mailbox with work, lets the
/// peers handle their messages, collects every peer's `Ready`, writes all their entries and
/// hard states in **one** raft-engine WriteBatch with **one** sync (if any needs it), and only
/// then sends messages, hands committed entries to the apply loop and advances the nodes.
///
/// Not `Sendable`: it is created on the raft thread and never leaves it.
final class RaftPoller {
  private let raftDB: Database
  private let router: Router
  private let transport: any Transport
  private let applier: ApplyPoller
  private var peers: [UInt64: Peer]

  init(
    raftDB: Database, router: Router, transport: any Transport, applier: ApplyPoller,
    peers: [UInt64: Peer]
  ) {
    self.raftDB = raftDB
    self.router = router
    self.transport = transport
    self.applier = applier
    self.peers = peers
  }

  /// Runs rounds until the router stops, then fails what is still waiting.
  func run() {
    var moreReady = false
    while let batch = router.take(wait: !moreReady) {
      for (regionID, messages) in batch {
        if let peer = peers[regionID] {
          peer.handle(messages)
        } else {
          let error = RaftStoreError(code: .stopped, message: "region \(regionID) has no peer")
          for message in messages { message.fail(error) }
        }
      }
      moreReady = round()
    }
    let error = RaftStoreError(code: .stopped, message: "the store stopped")
    for peer in peers.values { peer.failEverything(error) }
  }

  /// Persists and finishes every peer's `Ready`.
  /// - Returns: whether a peer has another `Ready` already (then the next round must not wait).
  private func round() -> Bool {
    var readies: [(Peer, Ready)] = []
    var sync = false
    do {
      let batch = try raftDB.makeWriteBatch()
      for peer in peers.values {
        if let ready = try peer.collectReady(into: batch) {
          sync = sync || ready.mustSync
          readies.append((peer, ready))
        }
      }
      if batch.count > 0 { try raftDB.write(batch, sync: sync) }
    } catch {
      // The raft engine failed: nothing collected may be acknowledged or sent. Like TiKV, stop
      // the process rather than run on a log that may not be on disk.
      preconditionFailure("raft loop: the raft engine failed: \(error)")
    }
    var tasks: [ApplyTask] = []
    for (peer, ready) in readies { peer.finish(ready, transport: transport, tasks: &tasks) }
    applier.schedule(tasks)
    return peers.values.contains { $0.node.hasReady }
  }
}
