import Engine
import Foundation
import Raft
import Storage
import TinyKVProto

extension Peer {
  /// Takes the node's `Ready` (if any) and adds its entries and hard state to `batch`.
  /// - Returns: the `Ready`, to be finished by ``finish(_:transport:tasks:)`` after the batch
  ///   is written (and synced when `mustSync`).
  func collectReady(into batch: WriteBatch) throws -> Ready? {
    guard node.hasReady else { return nil }
    let ready = node.ready()
    if let snapshot = ready.snapshot { try installSnapshot(snapshot, into: batch) }
    try storage.append(ready.entries, to: batch)
    if let hardState = ready.hardState { storage.setHardState(hardState) }
    if !ready.entries.isEmpty || ready.hardState != nil || ready.snapshot != nil {
      try storage.persistRaftState(to: batch)
    }
    return ready
  }

  /// Sends the `Ready`'s messages that need not wait for its write (this leader's appends and
  /// heartbeats, `Eraftpb_Message.maySendBeforePersist`) and removes them from it, so the
  /// followers write their copy while this store writes its own. The raft loop steps no message
  /// before the write is done, which keeps this safe (see `Ready`).
  func sendBeforePersist(_ ready: inout Ready, transport: any Transport) {
    guard node.role == .leader, ready.messages.contains(where: \.maySendBeforePersist) else {
      return
    }
    var rest: [Eraftpb_Message] = []
    for message in ready.messages {
      if message.maySendBeforePersist {
        if let envelope = envelope(message) { transport.send(envelope) }
      } else {
        rest.append(message)
      }
    }
    ready.messages = rest
  }

  /// Sends the `Ready`'s (other) messages, hands its committed entries (with the proposals they may
  /// complete and the reads confirmed) to the apply loop, and advances the node. Called only
  /// after the `Ready`'s writes are on disk.
  func finish(_ ready: Ready, transport: any Transport, tasks: inout [ApplyTask]) {
    for message in ready.messages {
      if let envelope = envelope(message) { transport.send(envelope) }
    }
    let reads = confirmedReads(ready)
    if let last = ready.committedEntries.last { renewLease(committedThrough: last.index) }
    if !ready.committedEntries.isEmpty || !reads.isEmpty || ready.snapshot != nil {
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
          regionID: regionID, region: region, snapshot: ready.snapshot,
          entries: ready.committedEntries, proposals: completed, reads: reads))
    }
    failDroppedReads()
    checkLease()
    node.advance(ready)
  }
}
