import Engine
import Foundation
import Raft
import TinyKVProto

extension Peer {
  /// Takes the node's `Ready` (if any) and adds its entries and hard state to `batch`.
  /// - Returns: the `Ready`, to be finished by ``finish(_:transport:tasks:)`` after the batch
  ///   is written (and synced when `mustSync`).
  func collectReady(into batch: WriteBatch) throws -> Ready? {
    guard node.hasReady else { return nil }
    let ready = node.ready()
    precondition(ready.snapshot == nil, "region \(regionID): snapshots are not supported yet")
    try storage.append(ready.entries, to: batch)
    if let hardState = ready.hardState { storage.setHardState(hardState) }
    if !ready.entries.isEmpty || ready.hardState != nil { try storage.persistRaftState(to: batch) }
    return ready
  }

  /// Sends the `Ready`'s messages, hands its committed entries (with the proposals they may
  /// complete and the reads confirmed) to the apply loop, and advances the node. Called only
  /// after the `Ready`'s writes are on disk.
  func finish(_ ready: Ready, transport: any Transport, tasks: inout [ApplyTask]) {
    for message in ready.messages {
      if let envelope = envelope(message) { transport.send(envelope) }
    }
    var reads: [PendingRead] = []
    for state in ready.readStates {
      guard state.requestContext.count == 8 else { continue }
      let id = state.requestContext.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
      if let callback = pendingReads.removeValue(forKey: id) {
        reads.append(PendingRead(index: state.index, callback: callback))
      }
    }
    if !ready.committedEntries.isEmpty || !reads.isEmpty {
      var completed: [Proposal] = []
      if let last = ready.committedEntries.last {
        // Reached: the entry at the proposal's index is among these. Stale for sure: a
        // proposal of an older term than the last committed entry can never commit later,
        // since every entry committed after one of term T has a term of at least T (TiKV's
        // rule). Both go to the apply loop, which answers them in index order.
        let isDone = { (proposal: Proposal) in
          proposal.index <= last.index || proposal.term < last.term
        }
        completed = proposals.filter(isDone)
        proposals.removeAll(where: isDone)
        // A leader re-elected after a truncation proposes again at lower indexes: sort (stable).
        completed = completed.enumerated().sorted {
          ($0.element.index, $0.offset) < ($1.element.index, $1.offset)
        }.map(\.element)
      }
      tasks.append(
        ApplyTask(
          regionID: regionID, region: region, entries: ready.committedEntries,
          proposals: completed, reads: reads))
    }
    if let soft = ready.softState, soft.role != .leader, !pendingReads.isEmpty {
      // Reads pending at a leadership change are dropped by Raft; answer them now.
      let error = notLeader()
      for callback in pendingReads.values { callback(.failure(error)) }
      pendingReads = [:]
    }
    node.advance(ready)
  }
}
