import Foundation
import Storage
import TinyKVProto

/// What a region decides about a session write before applying it.
enum SessionAdmission {
  /// The region has not applied this sequence: apply it, then ``RaftServerpb_SessionTable/record(_:_:)``.
  case apply
  /// Applied before (a resend): answer with the recorded outcome and change nothing.
  case answered(Result<Void, any Error>)
  /// Refused without applying anything.
  case refused(any Error)
}

/// A resent session write answered from the session table with the error its first
/// application was answered with.
struct SessionReplayError: Error, CustomStringConvertible {
  let description: String
}

/// Exactly-once raw writes (the Raft thesis, section 6.3): what a region remembers of its
/// clients' sessions, kept in its `RaftApplyState` and so written in the same batch as the data,
/// carried by snapshots and copied to both halves of a split.
///
/// Per session: the sequences applied here that the client may still resend (those at or above
/// its `completed_below`), with their outcomes. Every decision reads only the entries' contents
/// (the session fields and the proposing leader's clock in the header), so every replica
/// decides the same.
extension RaftServerpb_SessionTable {
  /// A session idle this long in a region (by the region's clock) is forgotten at its next
  /// write there or when room is needed.
  static let idleExpiryMs: UInt64 = 10 * 60 * 1000
  /// At most this many sessions per region; when full, the least recently active goes.
  static let capacity = 256

  /// Decides about `write`, proposed at `proposedAtMs` (the leader's clock), in `regionID`:
  /// moves the region's clock, forgets what the client has completed, and expires idle
  /// sessions.
  /// - Returns: `.apply` for a sequence not applied here; `.answered` for one applied before;
  ///   `.refused` for a resend of a session this region does not know (`sessionUnknown`) or a
  ///   sequence the client completed already.
  mutating func admit(
    _ write: Kvrpcpb_WriteSession, proposedAtMs: UInt64, regionID: UInt64
  ) -> SessionAdmission {
    clockMs = max(clockMs, proposedAtMs)
    if let index = position(of: write.id),
      sessions[index].lastActiveMs + Self.idleExpiryMs < clockMs
    {
      sessions.remove(at: index)
    }
    guard let index = position(of: write.id) else {
      // The first attempt of a new write may start (or restart) the session here; a resend
      // may not: its first attempt could have been applied before the session was forgotten.
      if write.resend {
        return .refused(RegionError.sessionUnknown(write.id, regionID: regionID))
      }
      start(write)
      return .apply
    }
    sessions[index].lastActiveMs = clockMs
    if write.completedBelow > sessions[index].completedBelow {
      sessions[index].completedBelow = write.completedBelow
      sessions[index].applied.removeAll { $0.sequence < write.completedBelow }
    }
    if write.sequence < sessions[index].completedBelow {
      return .refused(
        SessionReplayError(
          description:
            "write \(write.sequence) of session \(write.id) was answered already; not applied again"
        ))
    }
    if let applied = sessions[index].applied.first(where: { $0.sequence == write.sequence }) {
      return .answered(
        applied.error.isEmpty ? .success(()) : .failure(SessionReplayError(description: applied.error)))
    }
    return .apply
  }

  /// Records the outcome of `write`, just applied after `admit` said `.apply`.
  mutating func record(_ write: Kvrpcpb_WriteSession, _ outcome: Result<Void, any Error>) {
    guard let index = position(of: write.id) else { return }
    var applied = RaftServerpb_SessionWrite()
    applied.sequence = write.sequence
    if case .failure(let error) = outcome { applied.error = String(describing: error) }
    sessions[index].applied.append(applied)
  }

  /// The index of session `id` in `sessions` (kept sorted by id), if there.
  private func position(of id: UInt64) -> Int? {
    let index = insertionPoint(of: id)
    return index < sessions.count && sessions[index].id == id ? index : nil
  }

  private func insertionPoint(of id: UInt64) -> Int {
    var low = 0
    var high = sessions.count
    while low < high {
      let middle = (low + high) / 2
      if sessions[middle].id < id { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// Adds `write`'s session, first making room: idle sessions go, then, if still full, the
  /// least recently active (the lowest id among equals).
  private mutating func start(_ write: Kvrpcpb_WriteSession) {
    let clock = clockMs
    sessions.removeAll { $0.lastActiveMs + Self.idleExpiryMs < clock }
    while sessions.count >= Self.capacity,
      let oldest = sessions.indices.min(by: {
        (sessions[$0].lastActiveMs, sessions[$0].id) < (sessions[$1].lastActiveMs, sessions[$1].id)
      })
    {
      sessions.remove(at: oldest)
    }
    var session = RaftServerpb_ClientSession()
    session.id = write.id
    session.completedBelow = write.completedBelow
    session.lastActiveMs = clock
    sessions.insert(session, at: insertionPoint(of: write.id))
  }
}
