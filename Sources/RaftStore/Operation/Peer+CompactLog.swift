import Engine
import Foundation
import Raft
import TinyKVProto

extension Peer {
  /// Counts a tick; every `raftLogGCTickInterval` ticks the leader proposes a `CompactLog` if
  /// the log is worth compacting (see ``compactIndex()``).
  func tickLogGC() {
    ticksSinceLogGC += 1
    guard ticksSinceLogGC >= context.config.raftLogGCTickInterval else { return }
    ticksSinceLogGC = 0
    guard node.role == .leader, let index = compactIndex(), let term = try? storage.term(index)
    else { return }
    var command = command()
    command.adminRequest.cmdType = .compactLog
    command.adminRequest.compactLog.compactIndex = index
    command.adminRequest.compactLog.compactTerm = term
    // No callback: a lost proposal is simply proposed again at a later GC tick.
    if let data = try? command.serializedData() { try? node.propose(data) }
  }

  /// The index to compact the log up to, or nil if it is not worth it.
  ///
  /// Normally the highest index every follower holds (and this leader handed to its apply
  /// loop), if that drops at least `raftLogGCThreshold` entries: a healthy follower never
  /// needs a snapshot. Past `raftLogGCCountLimit` entries or `raftLogGCSizeLimit` bytes the
  /// lagging followers no longer hold the log back: compact up to the applied index, and they
  /// catch up through a snapshot.
  func compactIndex() -> UInt64? {
    let status = node.status
    let applied = status.applied
    let first = storage.firstIndex()
    guard applied >= first else { return nil }
    let config = context.config
    if applied - first + 1 >= config.raftLogGCCountLimit
      || storage.approximateLogSize >= config.raftLogGCSizeLimit
    {
      return applied
    }
    let replicated = min(applied, status.progress.values.map(\.match).min() ?? applied)
    guard replicated >= first, replicated - first + 1 >= config.raftLogGCThreshold else {
      return nil
    }
    return replicated
  }

  /// The apply loop durably applied a `CompactLog`: moves the log's start and has the GC
  /// worker delete the entries (every entry of the region up to `truncated`, so a deletion a
  /// crash lost is redone by the next one).
  func logCompacted(_ truncated: RaftServerpb_RaftTruncatedState) {
    guard storage.truncate(to: truncated) else { return }
    let (raftDB, regionID) = (storage.raftDB, regionID)
    context.queues.logGC {
      do {
        let batch = try raftDB.makeWriteBatch()
        try batch.deleteRange(
          .default, from: Keys.raftLogKey(regionID, 0),
          to: Keys.raftLogKey(regionID, truncated.index + 1))
        try raftDB.write(batch, sync: false)
      } catch {
        // Harmless: entries below the first index are never read, and the next GC of the
        // region deletes them too.
      }
    }
  }
}
