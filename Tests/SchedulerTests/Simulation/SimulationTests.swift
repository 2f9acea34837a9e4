import Foundation
import Testing
import TinyKVProto
import Randomness

@testable import Scheduler

@Suite("Simulation: five stores, hundreds of regions")
struct SimulationTests {
  static let storeCount: UInt64 = 5
  static let regionCount = 300

  /// Starts with every region on stores 1-3 only (stores 4 and 5 empty) and a tenth of the
  /// regions with a single peer; runs until the scheduler has nothing left to do.
  @Test(
    "the cluster converges to full replication and balance, never below majority, no ping-pong",
    arguments: [1, 7, 42] as [UInt64])
  func converges(seed: UInt64) throws {
    var config = SchedulerConfig()
    config.seed = seed
    config.storeDownMillis = 3_600_000
    let test = try TestNode(config: config)
    try test.bootstrap(stores: Self.storeCount)
    var stores = SimulatedStores(seed: seed)
    var random = SplitMix64(seed: seed ^ 0xABCD)
    var nextID: UInt64 = 1_000_000
    for index in 0..<Self.regionCount {
      let start = index == 0 ? Data() : Data(String(format: "k%06d", index).utf8)
      let end =
        index == Self.regionCount - 1 ? Data() : Data(String(format: "k%06d", index + 1).utf8)
      var meta = Metapb_Region()
      meta.id = UInt64(index + 1)
      meta.startKey = start
      meta.endKey = end
      meta.regionEpoch.version = 1
      meta.regionEpoch.confVer = 1
      let replicas = index % 10 == 0 ? 1 : 3
      let first = random.next() % 3
      for offset in 0..<UInt64(replicas) {
        nextID += 1
        meta.peers.append(peer(nextID, store: 1 + (first + offset) % 3))
      }
      stores.regions[meta.id] = SimulatedStores.Region(
        meta: meta, leaderID: meta.peers[0].id, sizeMiB: 1 + random.next() % 64)
    }

    var quietTicks = 0
    var operatorsMade = 0
    let maxTicks = 2000
    while stores.tick < maxTicks && quietTicks < 20 {
      test.clock.advance(100)
      test.heartbeatStores()
      stores.step(cluster: test.cluster, maxReplicas: 3)
      operatorsMade += test.cluster.runSchedulers().count
      let busy = !test.cluster.runningOperators().isEmpty || !stores.inFlight.isEmpty
      quietTicks = busy ? 0 : quietTicks + 1
    }
    let finished = test.cluster.finishedOperatorCounts()
    let totalOperators = finished.values.reduce(0, +)
    let loads = test.cluster.storeLoads()
    let sizes = (1...Self.storeCount).map { loads[$0]?.regionSizeMiB ?? 0 }
    let leaders = (1...Self.storeCount).map { loads[$0]?.leaderCount ?? 0 }
    let summary =
      "seed \(seed): \(stores.tick) ticks, \(totalOperators) operators \(finished), sizes \(sizes), leaders \(leaders), applied \(stores.commandsApplied), dropped \(stores.commandsDropped)"

    #expect(quietTicks >= 20, "did not settle: \(summary)")
    #expect(stores.violations.isEmpty, "\(stores.violations.prefix(5)) \(summary)")
    let pingPongs = SimulatedStores.pingPongs(test.cluster.finishedOperators())
    #expect(pingPongs.isEmpty, "\(pingPongs.prefix(5)) \(summary)")
    let underReplicated = stores.regions.values.filter { $0.meta.peers.count != 3 }
    #expect(underReplicated.isEmpty, "\(underReplicated.count) regions without 3 peers: \(summary)")
    // Balanced: no move is worth it any more (TinyKV's rule: a gap within twice a region's size).
    #expect(sizes.max()! - sizes.min()! <= 2 * 64, "region sizes unbalanced: \(summary)")
    #expect(leaders.max()! - leaders.min()! <= 2, "leaders unbalanced: \(summary)")
    // Bounded: about one replica checker operator per missing replica and a move per
    // region at most, plus leader transfers.
    #expect(totalOperators <= 2 * Self.regionCount, "too many operators: \(summary)")
    #expect(finished[.timeout, default: 0] == 0, "\(summary)")
  }
}
