import Logging
import Testing
import TinyKVProto

@testable import Scheduler

/// The periodic scheduling pass (`runSchedulers`) when one region is unhealthy and silent: it
/// lost its quorum while short of a replica, so it never heartbeats again.
@Suite("Scheduling loop with a silent, under-replicated region")
struct SchedulingLoopTests {
  static let operatorTimeoutMillis: Int64 = 5_000

  /// Four stores; region 1 on stores 1 and 2 only, heard from once (the replica checker gives
  /// it an operator adding a peer) and then never again; regions 2...7 fully replicated on
  /// stores 1-3, 10 MiB each, so store 4 is empty.
  func clusterWithSilentRegion(
    _ configure: (inout SchedulerConfig) -> Void = { _ in }, logger: Logger? = nil
  ) throws -> TestNode {
    var config = SchedulerConfig()
    config.regionOperatorTimeoutMillis = Self.operatorTimeoutMillis
    config.storeDownMillis = 60_000
    config.balanceLeader = false
    configure(&config)
    let test = try TestNode(config: config, logger: logger)
    try test.bootstrap(stores: 4)
    let command = try test.cluster.regionHeartbeat(
      region(1, "", "a", confVer: 2, peers: [(11, 1), (12, 2)]))
    #expect(command != nil, "the replica checker should start repairing region 1")
    for id in 2...7 as ClosedRange<UInt64> {
      let peers = (1...3 as ClosedRange<UInt64>).map { (id * 10 + $0, $0) }
      _ = try test.cluster.regionHeartbeat(
        region(id, "k\(id)", "k\(id)~", peers: peers, sizeMiB: 10))
    }
    return test
  }

  /// Lets time pass past every operator's deadline while the stores (not region 1) stay alive.
  func outliveOperators(_ test: TestNode) {
    test.clock.advance(Self.operatorTimeoutMillis + 1)
    test.heartbeatStores()
  }

  @Test("balance-region moves regions to the empty store while a silent region lacks a replica")
  func balancesAroundSilentRegion() throws {
    let test = try clusterWithSilentRegion()
    let created = test.cluster.runSchedulers()
    #expect(!created.isEmpty, "balance-region made nothing while region 1 lacks a replica")
    for op in created {
      #expect(op.kind == .balanceRegion)
      #expect(op.regionID != 1)
      #expect(move(op)?.to == 4)
    }
    // Long after: every operator so far has expired, region 1 still lacks its replica, and
    // balancing goes on.
    outliveOperators(test)
    let later = test.cluster.runSchedulers()
    #expect(!later.isEmpty, "balance-region stopped for good after the first round")
    #expect(later.allSatisfy { $0.kind == .balanceRegion && $0.regionID != 1 })
  }

  @Test("an operator whose region stopped heartbeating expires in the scheduling loop")
  func silentOperatorExpires() throws {
    let test = try clusterWithSilentRegion { $0.balanceRegion = false }
    #expect(try test.cluster.operator(regionID: 1)?.status == .running)
    test.cluster.runSchedulers()
    #expect(try test.cluster.operator(regionID: 1)?.status == .running)  // not due yet
    outliveOperators(test)
    test.cluster.runSchedulers()
    #expect(try test.cluster.operator(regionID: 1)?.status == .timeout)
    #expect(test.cluster.runningOperators().isEmpty)
    #expect(test.cluster.finishedOperatorCounts()[.timeout] == 1)
  }

  @Test("held-back balancing and expired operators are logged, once per change")
  func holdsLoggedOnce() throws {
    let capture = LogCapture()
    let test = try clusterWithSilentRegion({ $0.regionScheduleLimit = 1 }, logger: capture.logger())
    for _ in 0..<5 { test.cluster.runSchedulers() }
    #expect(capture.messages(.info, containing: "balance-region held back").count == 1)
    #expect(capture.messages(.info, containing: "lack a replica").count == 1)
    outliveOperators(test)
    test.cluster.runSchedulers()
    // Region 1's replica operator and the balance move both expired, logged one by one.
    #expect(capture.messages(.warning, containing: "operator timed out").count == 2)
    // A new move refilled the limit in the same pass: still held back, nothing new to say.
    #expect(capture.messages(.info, containing: "balance-region held back").count == 1)
    #expect(capture.messages(.info, containing: "below region-schedule-limit").isEmpty)
  }
}
