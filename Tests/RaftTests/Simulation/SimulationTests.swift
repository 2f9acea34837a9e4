import Foundation
import Testing

@testable import Raft

/// The seeded randomized simulation, over many seeds.
///
/// - `RAFT_SIM_SEEDS=n` runs n seeds (default 2,000: half with 3 nodes, half with 5).
/// - `RAFT_SIM_SEED=s` replays seed s alone (both cluster sizes).
@Suite("Simulation")
struct SimulationTests {
  static let chunks = 8

  static var seedCount: Int {
    ProcessInfo.processInfo.environment["RAFT_SIM_SEEDS"].flatMap { Int($0) } ?? 2000
  }

  static var replaySeed: UInt64? {
    ProcessInfo.processInfo.environment["RAFT_SIM_SEED"].flatMap { UInt64($0) }
  }

  static func run(seed: UInt64, nodes: Int, faults: FaultInjection = []) -> Simulator.Failure? {
    var options = Simulator.Options()
    options.nodes = nodes
    options.faults = faults
    var sim = Simulator(seed: seed, options: options)
    do {
      try sim.run()
      return nil
    } catch {
      return error
    }
  }

  @Test("Safety and liveness over many seeds", arguments: 0..<chunks)
  func randomizedSeeds(chunk: Int) {
    let seeds: [UInt64]
    if let replay = Self.replaySeed {
      seeds = chunk == 0 ? [replay] : []
    } else {
      seeds = stride(from: chunk, to: Self.seedCount, by: Self.chunks).map { UInt64($0) }
    }
    for seed in seeds {
      for nodes in Self.replaySeed == nil ? [seed % 2 == 0 ? 3 : 5] : [3, 5] {
        if let failure = Self.run(seed: seed, nodes: nodes) {
          Issue.record(
            "\(failure)\n  replay: RAFT_SIM_SEED=\(seed) swift test --filter RaftTests.SimulationTests"
          )
          return
        }
      }
    }
  }

  /// The same seed gives the same run.
  @Test func runsAreDeterministic() throws {
    var a = Simulator(seed: 12345)
    var b = Simulator(seed: 12345)
    try a.run()
    try b.run()
    #expect(a.appliedHistory.count == b.appliedHistory.count)
    #expect(a.appliedHistory.map(\.data) == b.appliedHistory.map(\.data))
    #expect(a.leaders == b.leaders)
    #expect(a.trace == b.trace)
    #expect(a.appliedHistory.count > 10, "the run does real work")
  }

  /// The checker is not vacuous: nodes that vote twice in a term break Election Safety,
  /// and the simulation notices.
  @Test func checkerCatchesNodesThatVoteTwice() {
    var caught: [Simulator.Failure] = []
    for seed in UInt64(0)..<200 {
      if let failure = Self.run(seed: seed, nodes: 5, faults: .voteTwice) {
        caught.append(failure)
        if caught.count >= 3 { break }
      }
    }
    #expect(!caught.isEmpty, "a double-voting cluster went unnoticed over 200 seeds")
    #expect(caught.contains { $0.message.contains("election safety") })
  }
}
