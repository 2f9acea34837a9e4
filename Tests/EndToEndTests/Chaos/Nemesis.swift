import Foundation
import Randomness

/// How long a chaos test injects faults, with what seed, on how many stores: from
/// `CHAOS_SECONDS` (default 25), `CHAOS_SEED` (default random) and `CHAOS_STORES` (3 to 5,
/// default 3).
struct ChaosSettings: Sendable {
  var seed: UInt64
  var duration: Duration
  var stores: Int

  /// The seed of every test of this process when `CHAOS_SEED` is not set.
  private static let randomSeed = UInt64.random(in: 1...UInt64.max)

  static func fromEnvironment() -> ChaosSettings {
    let environment = ProcessInfo.processInfo.environment
    let seed = environment["CHAOS_SEED"].flatMap { UInt64($0) } ?? randomSeed
    let seconds = environment["CHAOS_SECONDS"].flatMap { Int($0) } ?? 25
    let stores = min(5, max(3, environment["CHAOS_STORES"].flatMap { Int($0) } ?? 3))
    return ChaosSettings(seed: seed, duration: .seconds(seconds), stores: stores)
  }

  /// The line every chaos test prints first: how to replay it.
  func banner(_ test: String) -> String {
    "chaos \(test): seed \(seed), \(duration) of faults, \(stores) stores "
      + "(CHAOS_SEED=\(seed) replays the schedule)"
  }
}

/// One fault the nemesis injected: which, on which store, when (from the start of the run) and
/// for how long.
struct Fault: Sendable, CustomStringConvertible {
  enum Kind: String, Sendable, CaseIterable {
    /// `kill -9`, then a restart on the same folder.
    case kill
    /// SIGSTOP, then SIGCONT.
    case pause
    /// `transport::send` on both sides cuts the store off from the others, then is removed.
    case partition
  }

  var kind: Kind
  var store: Int
  var start: Duration
  var length: Duration

  var description: String {
    "at \(Self.seconds(start)) \(kind) store-\(store) for \(Self.seconds(length))"
  }

  /// How many faults of each kind: `kill 2, pause 4, partition 3`.
  static func tally(_ faults: [Fault]) -> String {
    Kind.allCases.map { kind in "\(kind) \(faults.filter { $0.kind == kind }.count)" }
      .joined(separator: ", ")
  }

  static func seconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return String(format: "%.2fs", Double(seconds) + Double(attoseconds) / 1e18)
  }
}

/// Injects faults into a ``ChaosCluster`` on a schedule drawn from a seed: a quiet spell of
/// 0.5-2 s, then one fault (a kill and restart, a pause, or a partition) on one store for 1-4 s,
/// healed before the next. At most one store is faulty at a time, so a majority of every
/// region's peers stays up. The schedule (which fault, which store, how long) replays from the
/// seed; how the cluster reacts to it depends on timing.
struct Nemesis: Sendable {
  let seed: UInt64
  let duration: Duration

  /// Runs faults until `duration` has passed and returns them; the cluster is healed (every
  /// store running, no partition) when this returns, also when it throws.
  func run(_ cluster: ChaosCluster) async throws -> [Fault] {
    var random = SplitMix64(seed: seed ^ 0x6E65_6D65_7369_73)
    let clock = ContinuousClock()
    let begin = clock.now
    let stores = await cluster.count
    var faults: [Fault] = []
    while clock.now - begin < duration {
      try await Task.sleep(for: .milliseconds(500 + Int(random.next() % 1501)))
      let kind = Fault.Kind.allCases[Int(random.next() % UInt64(Fault.Kind.allCases.count))]
      let store = Int(random.next() % UInt64(stores))
      let length = Duration.milliseconds(1000 + Int(random.next() % 3001))
      let fault = Fault(kind: kind, store: store, start: clock.now - begin, length: length)
      print("nemesis: \(fault)")
      faults.append(fault)
      try await inject(fault, cluster)
    }
    return faults
  }

  /// Injects `fault`, waits its length, and heals it (the healing runs even if the wait is
  /// cancelled).
  private func inject(_ fault: Fault, _ cluster: ChaosCluster) async throws {
    switch fault.kind {
    case .kill:
      await cluster.kill(fault.store)
      try? await Task.sleep(for: fault.length)
      try await cluster.restart(fault.store)
    case .pause:
      await cluster.pause(fault.store)
      try? await Task.sleep(for: fault.length)
      await cluster.resume(fault.store)
    case .partition:
      do {
        try await cluster.partition(fault.store)
      } catch {
        try await cluster.heal()
        throw error
      }
      try? await Task.sleep(for: fault.length)
      try await cluster.heal()
    }
  }
}
