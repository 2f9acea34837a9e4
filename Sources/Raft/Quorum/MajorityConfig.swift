/// The outcome of counting votes.
public enum VoteResult: Sendable, Equatable {
  /// Not decided yet: some voters have not answered.
  case pending
  /// A majority refused.
  case lost
  /// A majority granted.
  case won
}

/// A set of voters decided by simple majority.
struct MajorityConfig: Sendable, Equatable {
  /// Voter ids, sorted ascending.
  private(set) var voters: [UInt64]

  init(_ voters: some Sequence<UInt64>) { self.voters = Set(voters).sorted() }

  var count: Int { voters.count }
  var quorum: Int { voters.count / 2 + 1 }
  func contains(_ id: UInt64) -> Bool { voters.contains(id) }

  mutating func insert(_ id: UInt64) {
    guard !contains(id) else { return }
    voters.append(id)
    voters.sort()
  }

  mutating func remove(_ id: UInt64) { voters.removeAll { $0 == id } }

  /// The largest value that a majority of voters have reached: for match indexes, the
  /// committed index. Voters without a value count as 0. An empty config gives `.max`
  /// (so it never holds anything back).
  func committedIndex(_ value: (UInt64) -> UInt64?) -> UInt64 {
    let n = voters.count
    if n == 0 { return .max }
    if n <= 7 {
      // Small clusters: sort on the stack-sized array; avoids a heap allocation in the
      // common case via withUnsafeTemporaryAllocation.
      return withUnsafeTemporaryAllocation(of: UInt64.self, capacity: n) { buf in
        for (i, id) in voters.enumerated() { buf[i] = value(id) ?? 0 }
        // insertion sort, descending
        for i in 1..<n {
          let x = buf[i]
          var j = i - 1
          while j >= 0 && buf[j] < x {
            buf[j + 1] = buf[j]
            j -= 1
          }
          buf[j + 1] = x
        }
        return buf[n / 2]
      }
    }
    let sorted = voters.map { value($0) ?? 0 }.sorted(by: >)
    return sorted[n / 2]
  }

  /// Tallies `votes` (true = granted).
  func voteResult(_ votes: [UInt64: Bool]) -> VoteResult {
    if voters.isEmpty { return .won }
    var granted = 0
    var missing = 0
    for id in voters {
      switch votes[id] {
      case .some(true): granted += 1
      case .some(false): break
      case .none: missing += 1
      }
    }
    if granted >= quorum { return .won }
    if granted + missing >= quorum { return .pending }
    return .lost
  }
}
