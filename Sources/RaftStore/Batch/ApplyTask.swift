import Foundation
import TinyKVProto

/// A proposal waiting for its entry to be applied: it succeeds only if the entry applied at
/// `index` still has `term` (otherwise a new leader overwrote it: `StaleCommand`).
package struct Proposal: Sendable {
  package var index: UInt64
  package var term: UInt64
  package var callback: WriteCallback
  /// For a write without a session: the region's epoch version when it was proposed. Applied
  /// at that version such a write cannot fail, so a snapshot that proves its entry applied
  /// answers it with success (``Peer/installSnapshot(_:into:)``). Nil for other commands.
  package var plainWriteVersion: UInt64? = nil
}

/// A confirmed ReadIndex read: served from a kv snapshot once the region applied `index`, if
/// the region's epoch version is still the one the read was checked at (`checkedVersion`).
package struct PendingRead: Sendable {
  package var index: UInt64
  package var checkedVersion: UInt64
  package var callback: ReadCallback
}

/// What the raft loop hands the apply loop for one region after one `Ready`: committed entries
/// (persisted already), the proposals they may complete, and reads to serve after them.
package struct ApplyTask: Sendable {
  package var regionID: UInt64
  package var region: Metapb_Region
  /// A snapshot to put in place of the region's data before the entries (which follow it).
  package var snapshot: Eraftpb_Snapshot?
  package var entries: [Eraftpb_Entry]
  /// Proposals the entries answer, in index order: those whose index is at most the last
  /// entry's, and those of an older term than the last entry (stale whatever their index).
  package var proposals: [Proposal]
  package var reads: [PendingRead]
  /// The region's peer here is stale (removed while it was away): write its tombstone and
  /// delete its data, instead of applying anything (the task has no entries).
  package var tombstone = false
}
