import Testing

@testable import Scheduler

@Suite("Replica checker")
struct ReplicaCheckerTests {
  @Test("a region with too few replicas gets one on the emptiest store that lacks it")
  func addMissing() throws {
    let scenario = try Scenario(maxReplicas: 3)
    try scenario.addStore(1, fillers: 1)
    try scenario.addStore(2, fillers: 5)
    try scenario.addStore(3, fillers: 3)
    try scenario.addStore(4, fillers: 2)
    try scenario.addRegion(1, stores: [1])
    let op = try #require(try scenario.replicaCheck(1))
    guard case .addPeer(let store, _) = op.steps.first else {
      Issue.record("expected add peer, got \(op)")
      return
    }
    #expect(store == 4)
  }

  @Test("extra replicas are removed, a follower on the fullest store first")
  func removeExtra() throws {
    let scenario = try Scenario(maxReplicas: 3)
    try scenario.addStore(1, fillers: 9)
    try scenario.addStore(2, fillers: 5)
    try scenario.addStore(3, fillers: 3)
    try scenario.addStore(4, fillers: 7)
    try scenario.addRegion(1, stores: [1, 2, 3, 4])
    #expect(try scenario.replicaCheck(1)?.steps == [.removePeer(storeID: 4)])
  }

  @Test("a peer on a down store is replaced: the dead peer goes first, then the new one comes")
  func replaceDown() throws {
    let scenario = try Scenario(maxReplicas: 3)
    for store in 1...4 as ClosedRange<UInt64> { try scenario.addStore(store, fillers: 0) }
    try scenario.addRegion(1, stores: [1, 2, 3])
    #expect(try scenario.replicaCheck(1) == nil)
    try scenario.takeDown([3])
    let op = try #require(try scenario.replicaCheck(1))
    #expect(op.steps.first == .removePeer(storeID: 3))
    #expect(move(op)?.from == 3 && move(op)?.to == 4)
  }

  @Test("a peer on an offline (alive) store is replaced add-first")
  func replaceOffline() throws {
    let scenario = try Scenario(maxReplicas: 3)
    for store in 1...4 as ClosedRange<UInt64> { try scenario.addStore(store, fillers: 0) }
    try scenario.addRegion(1, stores: [1, 2, 3])
    try scenario.cluster.setStoreState(id: 3, .offline)
    let op = try #require(try scenario.replicaCheck(1))
    #expect(op.steps.last == .removePeer(storeID: 3))
    #expect(move(op)?.to == 4)
  }

  @Test("a peer on a tombstone store is replaced, and nothing happens without a healthy target")
  func replaceTombstone() throws {
    let scenario = try Scenario(maxReplicas: 3)
    for store in 1...3 as ClosedRange<UInt64> { try scenario.addStore(store, fillers: 0) }
    try scenario.addRegion(1, stores: [1, 2, 3])
    try scenario.cluster.setStoreState(id: 2, .tombstone)
    #expect(try scenario.replicaCheck(1) == nil)  // no fourth store to move to
    try scenario.addStore(4, fillers: 0)
    #expect(move(try scenario.replicaCheck(1))?.from == 2)
  }
}
