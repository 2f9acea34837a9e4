import Foundation
import Randomness

/// How long a chaos test injects faults, with what seed, on how many stores, in which network:
/// from `CHAOS_SECONDS` (default 25), `CHAOS_SEED` (default random), `CHAOS_STORES` (3 to 5,
/// default 3) and `CHAOS_NETNS` (`1`: stores in network namespaces, see ``ChaosNetwork``); the
/// registers' shape from `CHAOS_KEYS` (default 24), `CHAOS_WRITERS` (4) and `CHAOS_READERS` (3);
/// `CHAOS_FAULTS` (kinds separated by commas, e.g. `kill`) narrows the faults drawn.
struct ChaosSettings: Sendable {
  var seed: UInt64
  var duration: Duration
  var stores: Int
  /// Stores in network namespaces, with the network faults in the schedule.
  var netns = false
  /// The only kinds of fault drawn, if set (among those the set-up allows).
  var kinds: Set<Fault.Kind>? = nil
  /// The registers of the registers workloads, and their clients.
  var registerKeys = 24
  var writers = 4
  var readers = 3

  /// The register keys: `key-00`, `key-01`, ...
  var keys: [String] { (0..<registerKeys).map { String(format: "key-%02d", $0) } }

  /// How long a test may take, set-up and final checks included, before it fails
  /// (``supervise(deadline:watch:_:)``): 5 minutes plus twice the faults' time.
  var deadline: Duration { .seconds(300) + duration * 2 }

  /// The seed of every test of this process when `CHAOS_SEED` is not set.
  private static let randomSeed = UInt64.random(in: 1...UInt64.max)

  static func fromEnvironment() -> ChaosSettings {
    let environment = ProcessInfo.processInfo.environment
    let seed = environment["CHAOS_SEED"].flatMap { UInt64($0) } ?? randomSeed
    let seconds = environment["CHAOS_SECONDS"].flatMap { Int($0) } ?? 25
    let stores = min(5, max(3, environment["CHAOS_STORES"].flatMap { Int($0) } ?? 3))
    var settings = ChaosSettings(
      seed: seed, duration: .seconds(seconds), stores: stores,
      netns: environment["CHAOS_NETNS"] == "1")
    if let list = environment["CHAOS_FAULTS"] {
      settings.kinds = Set(
        list.split(separator: ",").map { name in
          guard let kind = Fault.Kind(rawValue: String(name)) else {
            let known = Fault.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            fatalError("CHAOS_FAULTS: no fault \"\(name)\" (known: \(known))")
          }
          return kind
        })
    }
    let count = { (name: String, fallback: Int) in
      max(1, environment[name].flatMap { Int($0) } ?? fallback)
    }
    settings.registerKeys = count("CHAOS_KEYS", settings.registerKeys)
    settings.writers = count("CHAOS_WRITERS", settings.writers)
    settings.readers = count("CHAOS_READERS", settings.readers)
    return settings
  }

  /// ``fromEnvironment()`` with the stores in network namespaces.
  static func inNamespaces() -> ChaosSettings {
    var settings = fromEnvironment()
    settings.netns = true
    return settings
  }

  /// The line every chaos test prints first: how to replay it.
  func banner(_ test: String) -> String {
    "chaos \(test): seed \(seed), \(duration) of faults, \(stores) stores"
      + "\(netns ? " in network namespaces" : ""), deadline \(deadline) "
      + "(CHAOS_SEED=\(seed) replays the schedule)"
      + (kinds.map { "; faults only \($0.map(\.rawValue).sorted().joined(separator: ","))" } ?? "")
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
    /// The scheduler's `AddOperator`: a region's leadership to the store (no store is faulty).
    case transferLeader = "transfer-leader"
    /// The scheduler's `AddOperator`: a region's peer moved to the store, which held none
    /// (only with more stores than replicas).
    case movePeer = "move-peer"
    /// Namespace mode: the store's veth is down at the bridge (nothing reaches it).
    case linkDown = "link-down"
    /// Namespace mode: nftables drops the store's traffic with its peers, not with clients.
    case isolate
    /// Namespace mode: delay, jitter, loss, reordering and duplication on the store's veth.
    case degrade

    /// Whether the fault is an operator asked of the scheduler rather than a store's fault.
    var isOperator: Bool { self == .transferLeader || self == .movePeer }

    /// Whether the fault needs the stores in network namespaces.
    var isNetwork: Bool { self == .linkDown || self == .isolate || self == .degrade }

    /// The kinds a nemesis draws from: in namespace mode the network faults replace the
    /// failpoint partition (`isolate` is its network twin); a peer move needs more than 3
    /// stores (with 3, every store holds every region). Loopback runs draw from the kinds of
    /// before the network faults, so their seeds replay the same schedules.
    static func drawn(stores: Int, netns: Bool) -> [Kind] {
      allCases.filter { kind in
        (stores > 3 || kind != .movePeer) && (netns ? kind != .partition : !kind.isNetwork)
      }
    }
  }

  var kind: Kind
  var store: Int
  var start: Duration
  var length: Duration
  /// For operators: how the scheduler's operator ended (`success`, `timeout`, `refused: ...`);
  /// for a degraded link: its settings.
  var outcome = ""

  var description: String {
    "at \(Self.seconds(start)) \(kind.rawValue) store-\(store) for \(Self.seconds(length))"
  }

  /// How many faults of each kind that occurred: `kill 2, pause 4, partition 3,
  /// transfer-leader 2 (2 done)`.
  static func tally(_ faults: [Fault]) -> String {
    Kind.allCases.compactMap { kind in
      let ofKind = faults.filter { $0.kind == kind }
      if ofKind.isEmpty { return nil }
      guard kind.isOperator else { return "\(kind.rawValue) \(ofKind.count)" }
      let done = ofKind.filter { $0.outcome == "success" }.count
      return "\(kind.rawValue) \(ofKind.count) (\(done) done)"
    }
    .joined(separator: ", ")
  }

  static func seconds(_ duration: Duration) -> String {
    let (seconds, attoseconds) = duration.components
    return String(format: "%.2fs", Double(seconds) + Double(attoseconds) / 1e18)
  }
}

/// Injects faults into a ``ChaosCluster`` on a schedule drawn from a seed: a quiet spell of
/// 0.5-2 s, then one fault (a kill and restart, a pause, or a partition; in namespace mode a
/// link down, an isolation from the peers or a degraded link instead of the partition) on one
/// store for 1-4 s, healed before the next, or an operator asked of the scheduler (a leader transfer to the
/// store, or, with more than 3 stores, a region's peer moved to it), followed for up to the
/// fault's length. At most one store is faulty at a time, so a majority of every region's
/// peers stays up. The schedule (which fault, which store, how long) replays from the seed; how
/// the cluster reacts to it (and which region an operator picks) depends on timing.
struct Nemesis: Sendable {
  let seed: UInt64
  let duration: Duration
  /// The only kinds drawn, if set.
  var only: Set<Fault.Kind>? = nil

  /// Runs faults until `duration` has passed and returns them; the cluster is healed (every
  /// store running, no partition) when this returns, also when it throws.
  func run(_ cluster: ChaosCluster) async throws -> [Fault] {
    var random = SplitMix64(seed: seed ^ 0x6E65_6D65_7369_73)
    let clock = ContinuousClock()
    let begin = clock.now
    let stores = await cluster.count
    let network = cluster.network
    let kinds = Fault.Kind.drawn(stores: stores, netns: network != nil).filter {
      only?.contains($0) ?? true
    }
    guard !kinds.isEmpty else {
      throw NemesisError(description: "CHAOS_FAULTS leaves no fault this set-up can inject")
    }
    var faults: [Fault] = []
    while clock.now - begin < duration {
      try await Task.sleep(for: .milliseconds(500 + Int(random.next() % 1501)))
      let kind = kinds[Int(random.next() % UInt64(kinds.count))]
      let store = Int(random.next() % UInt64(stores))
      let length = Duration.milliseconds(1000 + Int(random.next() % 3001))
      var fault = Fault(kind: kind, store: store, start: clock.now - begin, length: length)
      print("nemesis: \(fault)")
      if kind.isOperator {
        fault.outcome = try await askOperator(fault, pick: random.next(), cluster)
      } else if kind == .degrade, let network {
        let degradation = Degradation(pick: random.next(), netem: network.netem)
        fault.outcome = "\(degradation)"
        print("nemesis: degrade store-\(store): \(degradation)")
        try await injectNetwork(.degrade(degradation), fault, cluster)
      } else {
        try await inject(fault, cluster)
      }
      faults.append(fault)
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
    case .linkDown:
      try await injectNetwork(.linkDown, fault, cluster)
    case .isolate:
      try await injectNetwork(.isolate, fault, cluster)
    case .transferLeader, .movePeer, .degrade:
      break  // operators go through askOperator(_:pick:_:), degrade needs its draw
    }
  }

  /// Injects `networkFault` on `fault.store`, waits `fault.length`, and heals the store's
  /// network (also when the injection fails).
  private func injectNetwork(
    _ networkFault: NetworkFault, _ fault: Fault, _ cluster: ChaosCluster
  ) async throws {
    do {
      try await cluster.inject(networkFault, on: fault.store)
    } catch {
      await cluster.healNetwork(fault.store)
      throw error
    }
    try? await Task.sleep(for: fault.length)
    await cluster.healNetwork(fault.store)
  }
}

/// A nemesis that cannot run as configured.
struct NemesisError: Error, CustomStringConvertible {
  let description: String
}
