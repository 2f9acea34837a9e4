import Engine
import Foundation
import Synchronization
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// Region heartbeats from the leaders, and leader transfer on the scheduler's request.
@Suite(.serialized) struct RegionHeartbeatTests {
  /// Three stores of one region in this process, recording every heartbeat they send.
  final class Stores: Sendable {
    let directory: TemporaryDirectory
    let stores: [RaftStore]
    let heartbeats = HeartbeatRecorder()

    init(heartbeatTicks: Int) throws {
      directory = try TemporaryDirectory("heartbeats")
      var config = RaftStoreConfig()
      config.tickInterval = .milliseconds(10)
      config.regionHeartbeatTicks = heartbeatTicks
      let transport = LocalTransport()
      let region = Metapb_Region.spanning(stores: [1, 2, 3])
      var stores: [RaftStore] = []
      for id: UInt64 in 1...3 {
        var options = DatabaseOptions()
        options.blockCacheBytes = 1 << 20
        options.writeBufferBytes = 1 << 20
        options.backgroundThreads = 1
        let kvDB = try Database(path: directory.appending("\(id)/kv"), options: options)
        options.columnFamilies = [.default]
        let raftDB = try Database(path: directory.appending("\(id)/raft"), options: options)
        try RaftStore.bootstrap(region: region, raftDB: raftDB, kvDB: kvDB)
        let store = RaftStore(
          storeID: id, raftDB: raftDB, kvDB: kvDB,
          snapshots: try SnapshotManager(directory: directory.appending("\(id)/snap")),
          transport: transport, config: config)
        transport.add(store)
        stores.append(store)
      }
      self.stores = stores
      for store in stores {
        try store.start(
          regionHeartbeats: { [heartbeats] in heartbeats.record($0) },
          splitIDs: CountingSplitIDs())
      }
    }

    deinit {
      for store in stores {
        store.stop()
        store.raftDB.close()
        store.kvDB.close()
      }
    }

    var recorded: [RegionHeartbeat] { heartbeats.all }
  }

  /// Every heartbeat sent, in order.
  final class HeartbeatRecorder: Sendable {
    private let heartbeats = Mutex<[RegionHeartbeat]>([])
    func record(_ heartbeat: RegionHeartbeat) { heartbeats.withLock { $0.append(heartbeat) } }
    var all: [RegionHeartbeat] { heartbeats.withLock { $0 } }
  }

  @Test func theLeaderReportsAtOnceThenEveryInterval() async throws {
    let cluster = try Stores(heartbeatTicks: 5)
    try await eventually("a leader's heartbeat") { !cluster.recorded.isEmpty }
    let first = try #require(cluster.recorded.first)
    #expect(first.region.id == 1)
    #expect(first.region.peers.count == 3)
    #expect(first.pendingPeers.isEmpty)
    #expect(first.term > 5)  // past the initial term: an election was won
    try await eventually("more heartbeats from the same leader") {
      cluster.recorded.filter { $0.leader == first.leader }.count >= 4
    }
    // Only leaders report: every heartbeat names the peer of the store that sent it as leader,
    // and (no election meanwhile) it is the same one.
    #expect(Set(cluster.recorded.map(\.leader.id)).count == 1)
  }

  @Test func transferLeaderMovesLeadershipAndTheNewLeaderReports() async throws {
    let cluster = try Stores(heartbeatTicks: 1000)
    try await eventually("a leader's heartbeat") { !cluster.recorded.isEmpty }
    let leader = try #require(cluster.recorded.first?.leader)
    let region = try #require(cluster.recorded.first?.region)
    let target = try #require(region.peers.first { $0.id != leader.id })
    let store = try #require(cluster.stores.first { $0.storeID == leader.storeID })
    // A stale epoch is ignored.
    var stale = region.regionEpoch
    stale.confVer += 1
    store.transferLeader(regionID: 1, to: target, epoch: stale)
    // Asked again until done, as the scheduler does (refused while the target looks inactive).
    try await eventually("the new leader reports at once") {
      store.transferLeader(regionID: 1, to: target, epoch: region.regionEpoch)
      return cluster.recorded.contains { $0.leader == target }
    }
  }

  @Test func aSplitIsReportedAtOnceWithBothHalves() async throws {
    let cluster = try Stores(heartbeatTicks: 1000)  // only the heartbeats sent at once
    try await eventually("a leader's heartbeat") { !cluster.recorded.isEmpty }
    let parent = try #require(cluster.recorded.first)
    let store = try #require(cluster.stores.first { $0.storeID == parent.leader.storeID })
    let splitKey = Data("m".utf8)
    try await waitForCallback(timeout: .seconds(5), deadlines: store.deadlines, what: "split") {
      (callback: @escaping @Sendable (Result<Void, any Error>) -> Void) in
      store.split(
        regionID: 1, at: splitKey, epoch: parent.region.regionEpoch, callback: callback)
    }
    try await eventually("the new region reported") {
      cluster.recorded.contains { $0.region.id != 1 }
    }
    // The parent's leader reports its smaller range and, right behind it, the new region with
    // its own peer as leader: no lookup of the new region's keys finds a gap meanwhile.
    let recorded = cluster.recorded
    let left = try #require(
      recorded.firstIndex { $0.region.id == 1 && $0.region.endKey == splitKey })
    let right = try #require(recorded.firstIndex { $0.region.id != 1 })
    #expect(right == left + 1)
    #expect(recorded[right].region.startKey == splitKey)
    #expect(recorded[right].leader.storeID == parent.leader.storeID)
  }
}
