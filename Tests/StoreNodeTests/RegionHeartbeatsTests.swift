import Client
import Foundation
import Logging
import RaftStore
import Scheduler
import SchedulerFixture
import StoreNode
import Synchronization
import TestSupport
import Testing
import TinyKVProto

/// Records the operator steps handed to it.
final class RecordingExecutor: OperatorExecutor {
  let steps = Mutex<[(RegionOperation, UInt64, Metapb_Peer)]>([])

  func execute(
    _ step: RegionOperation, regionID: UInt64, epoch: Metapb_RegionEpoch, leader: Metapb_Peer
  ) {
    steps.withLock { $0.append((step, regionID, leader)) }
  }
}

@Suite("Store node: region heartbeats")
struct RegionHeartbeatsTests {
  @Test("heartbeats build the scheduler's map; the replica checker's AddPeer comes back")
  func heartbeatsAndOperators() async throws {
    let directory = try TemporaryDirectory("region-heartbeats")
    try await withScheduler(in: directory) { scheduler in
      let folders = try (0..<3).map { try StoreFolder(directory.appending("store-\($0)")) }
      defer { for folder in folders { folder.close() } }
      var storeIDs: [UInt64] = []
      for (index, folder) in folders.enumerated() {
        storeIDs.append(
          try await folder.node(scheduler, address: "127.0.0.1:\(20160 + index)").join())
      }
      let first = try #require(folders.first)
      let regionID = try #require(try RaftStore.regionIDs(kvDB: first.kvDB).first)

      let executor = RecordingExecutor()
      let heartbeats = RegionHeartbeats(
        scheduler: scheduler, executor: executor,
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
      let task = Task { await heartbeats.run() }
      defer { task.cancel() }
      let local = try #require(try first.localRegion(regionID))
      let leader = try #require(local.peers.first)
      try await eventually("the scheduler knows the region and its leader") {
        heartbeats.send(RegionHeartbeat(region: local, leader: leader, approximateSize: 1 << 20))
        return try await scheduler.region(id: regionID)?.leader == leader
      }
      try await eventually("the replica checker asks for a second replica") {
        heartbeats.send(RegionHeartbeat(region: local, leader: leader))
        return executor.steps.withLock { steps in
          steps.contains { step, id, target in
            guard case .changePeer(.addNode, let peer) = step else { return false }
            return id == regionID && target == leader && peer.storeID != leader.storeID
              && storeIDs.contains(peer.storeID)
          }
        }
      }
    }
  }

  @Test("with no stream open a heartbeat is dropped, not queued forever")
  func droppedWithoutStream() async throws {
    let directory = try TemporaryDirectory("region-heartbeats")
    try await withScheduler(in: directory) { scheduler in
      let heartbeats = RegionHeartbeats(
        scheduler: scheduler, executor: RecordingExecutor(),
        logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
      #expect(!heartbeats.send(RegionHeartbeat(region: Metapb_Region(), leader: Metapb_Peer())))
    }
  }
}
