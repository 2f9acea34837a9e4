import Engine
import Foundation
import Storage
import TinyKVProto

/// Completes a write: success once applied, or the error (`RegionError`, `RaftStoreError`,
/// `EngineError`). Called exactly once, on the apply or raft thread: it must not block.
package typealias WriteCallback = @Sendable (Result<Void, any Error>) -> Void

/// Completes a read with a kv-engine snapshot taken at or after the read index, and the region
/// it was read from. Called exactly once; must not block.
package typealias ReadCallback = @Sendable (Result<(Snapshot, Metapb_Region), any Error>) -> Void

/// A write addressed to a region: modifications to propose as one `RaftCmdRequest`.
package struct WriteCommand: Sendable {
  /// Where the client thinks the region is (id, epoch, peer).
  package var context: Kvrpcpb_Context
  /// The changes, applied atomically.
  package var modifications: [Modification]
  /// Called once the command is applied or has failed.
  package var callback: WriteCallback
}

/// A membership change addressed to a region (one peer added or removed).
package struct ChangePeerCommand: Sendable {
  /// Add or remove.
  package var change: Eraftpb_ConfChangeType
  /// The peer added or removed.
  package var peer: Metapb_Peer
  /// The region's epoch the change was decided at; refused at any other.
  package var epoch: Metapb_RegionEpoch
  /// Called once the change is applied or has failed, if given.
  package var callback: WriteCallback?
}

/// What a region's mailbox holds; the raft loop handles a region's messages in order.
package enum PeerMessage: Sendable {
  /// A Raft message from a peer on another store.
  case raft(RaftServerpb_RaftMessage)
  /// A write to propose.
  case write(WriteCommand)
  /// A linearizable read (ReadIndex) for the client in `context`.
  case read(Kvrpcpb_Context, ReadCallback)
  /// Confirm leadership with a ReadIndex this round even without reads: a lease read found
  /// the lease running out (``LocalReader``).
  case renewLease
  /// One tick of the store's clock.
  case tick
  /// The apply loop applied a `CompactLog` (durably): the log may start after `truncated`.
  case logCompacted(RaftServerpb_RaftTruncatedState)
  /// The snapshot worker finished generating a snapshot of the region (nil: it failed).
  case snapshotGenerated(Eraftpb_Snapshot?)
  /// The transport's word on a message it sent for this region.
  case report(DeliveryReport)
  /// Hand leadership to `peer` if this peer leads the region at `epoch` (the scheduler's
  /// operator step).
  case transferLeader(to: Metapb_Peer, epoch: Metapb_RegionEpoch)
  /// Propose a membership change if this peer leads the region at the command's epoch.
  case changePeer(ChangePeerCommand)
  /// The apply loop applied a membership change: the region is now `region`.
  case confChangeApplied(Eraftpb_ConfChange, region: Metapb_Region)
  /// A split check of the region at `epoch` finished (nil: it failed).
  case splitChecked(epoch: Metapb_RegionEpoch, SplitCheck?)
  /// Split the region if this peer leads it at the command's epoch (asking for ids first if
  /// the command has none).
  case split(SplitCommand)
  /// The apply loop wrote the tombstone of this stale peer (and deleted its data): it may go.
  case tombstoneWritten

  /// Fails the callback of a command that will not be handled.
  func fail(_ error: any Error) {
    switch self {
    case .write(let command): command.callback(.failure(error))
    case .read(_, let callback): callback(.failure(error))
    case .changePeer(let command): command.callback?(.failure(error))
    case .split(let command): command.callback?(.failure(error))
    case .raft, .renewLease, .tick, .logCompacted, .snapshotGenerated, .report, .transferLeader,
      .confChangeApplied, .tombstoneWritten, .splitChecked:
      break
    }
  }
}
