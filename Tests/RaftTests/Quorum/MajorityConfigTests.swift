import Testing
import Randomness

@testable import Raft

@Suite("Majority quorum")
struct MajorityConfigTests {
  /// The committed index equals a brute-force definition: the largest value v such that a
  /// majority of voters have at least v.
  @Test func committedIndexMatchesDefinition() {
    var rng = SplitMix64(seed: 99)
    for _ in 0..<2000 {
      let n = Int(rng.next() % 9) + 1
      let ids = (1...UInt64(n)).map { $0 }
      var values: [UInt64: UInt64] = [:]
      for id in ids where rng.next() % 5 != 0 { values[id] = rng.next() % 20 }
      let config = MajorityConfig(ids)
      let got = config.committedIndex { values[$0] }
      let candidates = Set(values.values).union([0])
      let want = candidates.filter { v in
        ids.filter { (values[$0] ?? 0) >= v }.count >= n / 2 + 1
      }.max()!
      #expect(got == want, "values \(values)")
    }
  }

  @Test func emptyConfigNeverHoldsBack() {
    #expect(MajorityConfig([]).committedIndex { _ in 0 } == .max)
    #expect(MajorityConfig([]).voteResult([:]) == .won)
  }

  @Test(
    arguments: [
      ([UInt64: Bool](), VoteResult.pending),
      ([1: true], .pending),
      ([1: true, 2: true], .won),
      ([1: false, 2: false], .lost),
      ([1: true, 2: false], .pending),
      ([1: true, 2: false, 3: false], .lost),
      ([1: true, 2: false, 3: true], .won),
    ] as [([UInt64: Bool], VoteResult)])
  func voteResults(votes: [UInt64: Bool], want: VoteResult) {
    #expect(MajorityConfig([1, 2, 3]).voteResult(votes) == want)
  }
}
