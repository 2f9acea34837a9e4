/// How the leader is currently replicating to a follower.
public enum ProgressState: Sendable, Equatable {
  /// Sending one append at a time until the follower's match index is found.
  case probe
  /// Streaming appends optimistically, bounded by ``Inflights``.
  case replicate
  /// A snapshot is on its way; appends wait until it is applied or fails.
  case snapshot
}

/// The leader's view of one follower's log.
public struct Progress: Sendable, Equatable {
  /// The highest index known to be replicated on the follower.
  public internal(set) var match: UInt64
  /// The next index to send. Invariant: `next > match`.
  public internal(set) var next: UInt64
  /// The replication mode.
  public internal(set) var state: ProgressState = .probe
  /// In ``ProgressState/snapshot``: the index of the snapshot being sent.
  public internal(set) var pendingSnapshot: UInt64 = 0
  /// Whether the follower has been heard from since the last check-quorum round.
  public internal(set) var recentActive = false
  /// In ``ProgressState/probe``: an append is outstanding, so wait for an answer or a
  /// heartbeat response before sending another.
  public internal(set) var probeSent = false
  /// In ``ProgressState/replicate``: the appends not yet acknowledged.
  public internal(set) var inflights: Inflights

  init(match: UInt64 = 0, next: UInt64, maxInflight: Int) {
    self.match = match
    self.next = next
    inflights = Inflights(capacity: maxInflight)
  }

  /// Whether sending appends is paused (flow control).
  var isPaused: Bool {
    switch state {
    case .probe: probeSent
    case .replicate: inflights.isFull
    case .snapshot: true
    }
  }

  private mutating func reset(to state: ProgressState) {
    probeSent = false
    pendingSnapshot = 0
    self.state = state
    inflights.reset()
  }

  mutating func becomeProbe() {
    // After a snapshot, resume from just past it (unless match is already beyond).
    if state == .snapshot {
      let pending = pendingSnapshot
      reset(to: .probe)
      next = max(match + 1, pending + 1)
    } else {
      reset(to: .probe)
      next = match + 1
    }
  }

  mutating func becomeReplicate() {
    reset(to: .replicate)
    next = match + 1
  }

  mutating func becomeSnapshot(_ index: UInt64) {
    reset(to: .snapshot)
    pendingSnapshot = index
  }

  /// The follower acknowledged entries up to `index`.
  /// - Returns: whether `match` advanced.
  mutating func maybeUpdate(_ index: UInt64) -> Bool {
    var updated = false
    if match < index {
      match = index
      updated = true
      probeSent = false
    }
    next = max(next, index + 1)
    return updated
  }

  /// Records that entries up to `index` were sent (replicate mode).
  mutating func optimisticUpdate(_ index: UInt64) { next = index + 1 }

  /// The follower rejected an append at `rejected`, hinting `matchHint` as the highest
  /// index that might match.
  /// - Returns: false if the rejection is stale (already dealt with).
  mutating func maybeDecrease(rejected: UInt64, matchHint: UInt64) -> Bool {
    if state == .replicate {
      if rejected <= match { return false }  // stale
      next = match + 1
      return true
    }
    if next - 1 != rejected { return false }  // stale: we have probed elsewhere since
    next = max(min(rejected, matchHint + 1), 1)
    probeSent = false
    return true
  }
}
