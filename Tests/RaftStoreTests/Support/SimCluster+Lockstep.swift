import Foundation
import Raft
import TestSupport
import TinyKVProto

@testable import RaftStore

/// Scripted time for ``SimCluster``: every store ticks together and the lease clock moves with
/// the ticks, so a test can ask what each store would do at each moment (lease reads against
/// elections).
extension SimCluster {
  /// One tick interval passes: the lease clock moves, every running store ticks.
  func tickAll() {
    leaseClock.advance(by: SimCluster.config.tickInterval)
    for id in storeIDs { stores[id]?.router.broadcastTick() }
    trace.append("tick all")
  }

  /// Runs raft rounds, apply loops and message deliveries (cut to and from ``isolated``, and
  /// to stopped stores) until nothing is left to do, without moving time.
  func settle() throws {
    for _ in 0..<1_000 {
      var busy = false
      for id in storeIDs {
        guard let store = stores[id] else { continue }
        store.poller.poll(wait: false)
        if !store.applyQueue.isEmpty {
          let tasks = store.applyQueue
          store.applyQueue = []
          store.applier.apply(tasks)
          busy = true
        }
        busy = busy || store.poller.hasReady
      }
      while !transport.pending.withLock({ $0.isEmpty }) {
        deliverOne()
        busy = true
      }
      if !busy { return }
    }
    throw TestFailure("seed \(seed): the cluster did not settle\n\(describePeers())")
  }

  /// The store whose peer of `regionID` leads in the highest term, if one does.
  func leader(of regionID: UInt64 = Cluster.regionID) -> UInt64? {
    storeIDs.compactMap { id -> (UInt64, UInt64)? in
      guard let node = stores[id]?.poller.peers[regionID]?.node, node.role == .leader
      else { return nil }
      return (id, node.term)
    }.max { $0.1 < $1.1 }?.0
  }

  /// `key` read by store `id` without a Raft round, if its lease lets it (nil: it does not).
  func leaseRead(_ id: UInt64, _ key: String) throws -> String?? {
    guard let store = stores[id] else { return nil }
    var context = Kvrpcpb_Context()
    context.regionID = regionID(of: key, on: id)
    guard store.localReader.read(context) != nil else { return nil }
    return .some(
      try store.kvDB.get(.default, Data(key.utf8)).map { String(decoding: $0, as: UTF8.self) })
  }
}
