import Foundation
import Randomness
import Scheduler
import TestSupport
import Testing

/// Operators asked for through the scheduler's `AddOperator` RPC, carried out by real stores.
@Suite("Scheduler cluster: operators asked for by hand", .serialized)
struct SchedulerClusterOperatorTests {
  @Test("a leader transfer and a peer move asked of the scheduler happen on the stores")
  func transferAndMove() async throws {
    let seed = clusterTestSeed("transferAndMove")
    try await SchedulerCluster.run(.init(seed: seed)) { cluster in
      var random = SplitMix64(seed: seed)
      for index in 0..<3 { try await cluster.start(index) }
      let regionID = try #require(try cluster.store(0)?.regions().first?.id)
      var data: [Data: Data] = [:]
      for n in 0..<20 {
        data[Data("key-\(n)".utf8)] = Data("value-\(random.next() % 1_000_000)".utf8)
      }
      for (key, value) in data { try await cluster.put(key, value) }
      let three = Set(try (0..<3).map { try cluster.storeID($0) })
      try await cluster.waitUntilReplicated(regionID, on: three, holding: data)

      // Leadership to a follower, chosen from the seed.
      let location = try #require(try await cluster.schedulerRegion(regionID))
      let followers = location.region.peers.map(\.storeID)
        .filter { $0 != location.leader?.storeID }.sorted()
      let heir = followers[Int(random.next() % UInt64(followers.count))]
      let transfer = try await whenTaken {
        try await cluster.scheduler.transferLeader(regionID: regionID, toStore: heir)
      }
      print("transferAndMove: \(transfer)")
      try await eventually("store \(heir) leads region \(regionID)", timeout: .seconds(15)) {
        try await cluster.schedulerRegion(regionID)?.leader?.storeID == heir
      }
      #expect(try await cluster.scheduler.operator(regionID: regionID).status == .success)

      // The leader's peer moves to a fourth store: add, hand over leadership, remove.
      let fourth = try await cluster.start(3)
      let move = try await whenTaken {
        try await cluster.scheduler.movePeer(regionID: regionID, from: heir, to: fourth)
      }
      print("transferAndMove: \(move)")
      let moved = three.subtracting([heir]).union([fourth])
      do {
        try await eventually("region \(regionID) moved to \(moved.sorted())", timeout: .seconds(20))
        {
          try await cluster.isReplicated(regionID, on: moved, holding: data)
        }
      } catch let failure as TestFailure {
        throw TestFailure("\(failure)\n\(await cluster.describe(regionID, data: data))")
      }
      #expect(try await cluster.scheduler.operator(regionID: regionID).status == .success)
      for (key, value) in data {
        #expect(try await cluster.get(key) == value)
      }
    }
  }

  /// Asks `ask` until the scheduler takes the operator: it refuses one while its last heartbeat
  /// of the region still lists peers catching up (leaders report every heartbeat interval).
  private func whenTaken<T: Sendable>(_ ask: () async throws -> T) async throws -> T {
    var taken: T?
    try await eventually("the scheduler takes the operator", timeout: .seconds(15)) {
      do {
        taken = try await ask()
        return true
      } catch  where "\(error)".contains("catching up") {
        return false
      }
    }
    return try #require(taken)
  }
}
