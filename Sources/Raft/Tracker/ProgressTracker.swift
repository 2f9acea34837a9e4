/// The leader's (and candidate's) bookkeeping over the membership: a ``Progress`` per
/// peer and the votes of the current election.
struct ProgressTracker: Sendable {
  /// The voters. Invariant: `voters.voters` are exactly the keys of `progress`.
  private(set) var voters: MajorityConfig
  /// Per peer replication state.
  var progress: [UInt64: Progress] = [:]
  /// Votes received in the current election.
  private(set) var votes: [UInt64: Bool] = [:]
  let maxInflight: Int

  init(voters: [UInt64], maxInflight: Int) {
    self.voters = MajorityConfig(voters)
    self.maxInflight = maxInflight
    for id in self.voters.voters { progress[id] = Progress(next: 1, maxInflight: maxInflight) }
  }

  var ids: [UInt64] { voters.voters }

  func contains(_ id: UInt64) -> Bool { progress[id] != nil }

  mutating func add(_ id: UInt64, match: UInt64, next: UInt64) {
    voters.insert(id)
    var pr = Progress(match: match, next: next, maxInflight: maxInflight)
    pr.recentActive = true
    progress[id] = pr
  }

  mutating func remove(_ id: UInt64) {
    voters.remove(id)
    progress[id] = nil
    votes[id] = nil
  }

  /// The highest index replicated on a quorum.
  func committed() -> UInt64 {
    voters.committedIndex { progress[$0]?.match }
  }

  mutating func resetVotes() { votes.removeAll(keepingCapacity: true) }

  /// Records `id`'s vote (the first one counts) and returns the tally.
  mutating func recordVote(_ id: UInt64, granted: Bool) -> VoteResult {
    if votes[id] == nil { votes[id] = granted }
    return voters.voteResult(votes)
  }

  func tally() -> (granted: Int, rejected: Int, result: VoteResult) {
    var g = 0
    var r = 0
    for id in voters.voters {
      if let v = votes[id] { if v { g += 1 } else { r += 1 } }
    }
    return (g, r, voters.voteResult(votes))
  }

  /// Whether a quorum has been active since the last check (`self` counts as active).
  func quorumActive(selfID: UInt64) -> Bool {
    var active: [UInt64: Bool] = [:]
    for (id, pr) in progress { active[id] = id == selfID || pr.recentActive }
    return voters.voteResult(active) == .won
  }
}
