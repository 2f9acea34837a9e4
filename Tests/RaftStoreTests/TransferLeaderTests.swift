import Foundation
import Storage
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// Leader transfer as the scheduler drives it: asked again at every heartbeat until done.
@Suite(.serialized) struct TransferLeaderTests {
  @Test func transfersToADeadPeerAreRefusedAndWritesGoOn() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let dead = try #require(cluster.storeIDs.first { $0 != leader })
    let store = try #require(cluster.stores[leader])
    let epoch = try #require(try cluster.regionState(leader)).region.regionEpoch
    cluster.stop(dead)
    // A scheduler repeating the step every tick or so: each transfer would hold back
    // proposals for an election timeout, so if they were started, no write would get through.
    let asking = Task {
      while !Task.isCancelled {
        store.transferLeader(regionID: Cluster.regionID, to: Cluster.peer(dead), epoch: epoch)
        try await Task.sleep(for: .milliseconds(10))  // the pace of the repeated step
      }
    }
    defer { asking.cancel() }
    // Within an election timeout the leader stops counting the dead peer as active and refuses
    // the transfers; then every write gets through at its first attempt (were the transfers
    // started, all but the few sent between two of them would be refused).
    try await eventually("20 writes in a row through the leader", timeout: .seconds(5)) {
      for i in 0..<20 {
        do {
          try await cluster.write(leader, [.put(.default, key: Data("k\(i)".utf8), value: Data())])
        } catch {
          return false
        }
      }
      return true
    }
    #expect(try await cluster.leader() == leader)
  }
}
