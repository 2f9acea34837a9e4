import Foundation
import Storage
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// Region split: the admin command, the new region's peers on every store, region errors for
/// stale requests, and automatic splits from the split checker.
@Suite(.serialized) struct SplitTests {
  private func key(_ i: Int) -> String { String(format: "key-%04d", i) }

  /// Asks store `storeID` to split the region holding `key` at `key`, and waits for the outcome.
  private func split(_ cluster: Cluster, via storeID: UInt64, at key: String) async throws {
    let store = try #require(cluster.stores[storeID])
    let region = try #require(try cluster.region(containing: Data(key.utf8), on: storeID))
    try await waitForCallback(timeout: .seconds(5), deadlines: store.deadlines, what: "split") {
      (callback: @escaping @Sendable (Result<Void, any Error>) -> Void) in
      store.split(
        regionID: region.id, at: Data(key.utf8), epoch: region.regionEpoch, callback: callback)
    }
  }

  /// Waits until every store of `cluster` holds regions starting at exactly `starts`.
  private func expectRegions(_ cluster: Cluster, starting starts: [String]) async throws {
    for id in cluster.storeIDs where cluster.stores[id] != nil {
      try await eventually("store \(id) holds regions starting at \(starts)") {
        try cluster.regions(on: id).map { String(decoding: $0.startKey, as: UTF8.self) } == starts
      }
    }
  }

  @Test func splitCreatesTheNewRegionOnEveryStore() async throws {
    let cluster = try Cluster(count: 3)
    for i in 0..<20 { try await cluster.put(key(i), "v\(i)") }
    let leader = try await cluster.leader()
    try await split(cluster, via: leader, at: key(10))
    try await expectRegions(cluster, starting: ["", key(10)])
    for id in cluster.storeIDs {
      let regions = try cluster.regions(on: id)
      #expect(regions[0].id == Cluster.regionID)
      #expect(regions[0].endKey == Data(key(10).utf8))
      #expect(regions[1].endKey.isEmpty)
      #expect(regions.allSatisfy { $0.regionEpoch.version == 2 && $0.regionEpoch.confVer == 1 })
      #expect(regions[1].peers.map(\.storeID) == regions[0].peers.map(\.storeID))
      // The data did not move: each store still holds every key.
      #expect(try cluster.local(id, key(15)) == "v15")
    }
    // Both regions serve reads and writes.
    for i in [3, 15] {
      #expect(try await cluster.get(key(i)) == "v\(i)")
      try await cluster.put(key(i), "w\(i)")
      #expect(try await cluster.get(key(i)) == "w\(i)")
    }
  }

  @Test func requestsForTheOldRangeOrEpochGetRegionErrors() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let before = try #require(try cluster.regionState(leader)).region
    try await split(cluster, via: leader, at: "m")
    try await expectRegions(cluster, starting: ["", "m"])
    let store = try #require(cluster.stores[leader])
    let storage = RaftStorage(store: store)

    var context = cluster.context(leader)
    context.regionEpoch = before.regionEpoch
    do {
      try await storage.write(context, [.put(.default, key: Data("a".utf8), value: Data())])
      Issue.record("a write at the old epoch succeeded")
    } catch let error as RegionError {
      #expect(error.error.hasEpochNotMatch)
      #expect(error.error.epochNotMatch.currentRegions.first?.regionEpoch.version == 2)
    }
    context = cluster.context(leader)
    do {
      try await storage.write(context, [.put(.default, key: Data("x".utf8), value: Data())])
      Issue.record("a write for a key of the new region went to the old one")
    } catch let error as RegionError {
      #expect(error.error.hasKeyNotInRegion)
    }
  }

  @Test func splitKeyOutsideTheRegionOrAtItsStartIsRefused() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    try await split(cluster, via: leader, at: "m")
    try await expectRegions(cluster, starting: ["", "m"])
    let store = try #require(cluster.stores[leader])
    let left = try #require(try cluster.region(containing: Data("a".utf8), on: leader))
    for bad in ["m", "z", ""] {
      do {
        try await waitForCallback(timeout: .seconds(5), deadlines: store.deadlines, what: "split") {
          (callback: @escaping @Sendable (Result<Void, any Error>) -> Void) in
          store.split(
            regionID: left.id, at: Data(bad.utf8), epoch: left.regionEpoch, callback: callback)
        }
        Issue.record("split of [\"\", m) at \"\(bad)\" succeeded")
      } catch {
        // Refused, as it must be.
      }
    }
    try await expectRegions(cluster, starting: ["", "m"])
  }

  @Test func splitRegionsSurviveARestartOfEveryStore() async throws {
    let cluster = try Cluster(count: 3)
    for i in 0..<10 { try await cluster.put(key(i), "v\(i)") }
    let leader = try await cluster.leader()
    try await split(cluster, via: leader, at: key(5))
    try await expectRegions(cluster, starting: ["", key(5)])
    for id in cluster.storeIDs { cluster.stop(id) }
    for id in cluster.storeIDs { try cluster.start(id) }
    try await expectRegions(cluster, starting: ["", key(5)])
    for i in 0..<10 { #expect(try await cluster.get(key(i)) == "v\(i)") }
    try await cluster.put(key(7), "after")
    #expect(try await cluster.get(key(7)) == "after")
  }

  @Test func laggingStoreCatchesUpWithTheSplit() async throws {
    let cluster = try Cluster(count: 3)
    let leader = try await cluster.leader()
    let follower = try #require(cluster.storeIDs.first { $0 != leader })
    cluster.transport.isolate(follower)
    try await split(cluster, via: leader, at: key(50))
    // Enough writes on both sides that the log is compacted past the split.
    for i in 0..<100 { try await cluster.put(key(i), "v\(i)") }
    cluster.transport.heal()
    try await expectRegions(cluster, starting: ["", key(50)])
    try await eventually("the lagging store holds every key") {
      try (0..<100).allSatisfy { try cluster.local(follower, key($0)) == "v\($0)" }
    }
  }

  @Test func regionsSplitByThemselvesAsTheyGrow() async throws {
    var config = Cluster.testConfig
    config.splitCheckTicks = 5
    config.splitCheckDiff = 0
    config.splitThresholds.maxSize = 4 << 10
    config.splitThresholds.splitSize = 2 << 10
    let cluster = try Cluster(count: 3, config: config)
    let value = String(repeating: "x", count: 100)
    for i in 0..<200 { try await cluster.put(key(i), value) }
    let leader = try await cluster.leader()
    try await eventually("the region split several times") {
      try cluster.regions(on: leader).count >= 4
    }
    let regions = try cluster.regions(on: leader)
    // Ranges tile the key space without gaps or overlaps.
    #expect(regions.first?.startKey.isEmpty == true)
    #expect(regions.last?.endKey.isEmpty == true)
    for (a, b) in zip(regions, regions.dropFirst()) { #expect(a.endKey == b.startKey) }
    for i in stride(from: 0, to: 200, by: 17) { #expect(try await cluster.get(key(i)) == value) }
  }
}
