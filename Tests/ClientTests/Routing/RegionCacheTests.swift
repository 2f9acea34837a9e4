import Foundation
import Testing
import TinyKVProto

@testable import Client

@Suite("Region cache")
struct RegionCacheTests {
  /// A directory of `count` regions split at "k001", "k002", ... (region i+1 = [k(i), k(i+1))).
  func directory(regions count: Int) -> FakeDirectory {
    let directory = FakeDirectory()
    let bounds = [""] + (1..<count).map { String(format: "k%03d", $0) } + [""]
    directory.state.withLock { state in
      for index in 0..<count {
        let region = FakeCluster.makeRegion(
          UInt64(index + 1), from: bounds[index], to: bounds[index + 1], version: 1)
        state.regions.append(RegionLocation(region: region, leader: region.peers[0]))
      }
    }
    return directory
  }

  @Test("lookups find the region holding each key; each region is fetched once")
  func lookupsAmongManyRegions() async throws {
    let directory = directory(regions: 100)
    let cache = RegionCache(directory: directory)
    for pass in 0..<2 {
      for index in stride(from: 99, through: 0, by: -1) {
        let key = bytes(String(format: "k%03d-%d", index, pass))
        let region = try #require(try await cache.locate(key))
        #expect(region.region.id == UInt64(index + 1))
      }
    }
    #expect(try await cache.locate(Data())?.region.id == 1)
    #expect(cache.count == 100)
    #expect(directory.state.withLock { $0.regionByKeyCalls } == 100)
  }

  @Test("a directory answer older than a cached region is used once but not cached")
  func staleDirectoryAnswerIsNotCached() async throws {
    let directory = directory(regions: 1)
    let cache = RegionCache(directory: directory)
    let split = FakeCluster.makeRegion(1, from: "", to: "k", version: 2)
    cache.replace(with: [split], answeredBy: 1)
    let stale = try #require(try await cache.locate(bytes("m")))
    #expect(stale.region.regionEpoch.version == 1)
    #expect(cache.count == 1)
    #expect(cache.cachedRegion(containing: bytes("a"))?.region.regionEpoch.version == 2)
    #expect(cache.cachedRegion(containing: bytes("m")) == nil)
  }

  @Test("a leader hint naming a peer the region lacks reloads the region by id")
  func leaderHintForNewPeerReloads() async throws {
    let directory = directory(regions: 1)
    let cache = RegionCache(directory: directory)
    _ = try await cache.locate(bytes("a"))
    var newPeer = Metapb_Peer()
    newPeer.id = 14
    newPeer.storeID = 4
    directory.state.withLock { state in
      state.regions[0].region.peers[2] = newPeer
      state.regions[0].region.regionEpoch.confVer = 2
    }
    try await cache.updateLeader(regionID: 1, leader: newPeer)
    let region = try #require(cache.cachedRegion(containing: bytes("a")))
    #expect(region.leader == newPeer)
    #expect(region.region.regionEpoch.confVer == 2)
    #expect(directory.state.withLock { $0.regionByIDCalls } == 1)
  }

  @Test("an unreachable leader's requests move to the next peer, wrapping around")
  func switchPeerCycles() async throws {
    let cache = RegionCache(directory: directory(regions: 1))
    let region = try #require(try await cache.locate(bytes("a")))
    let peers = region.region.peers
    #expect(cache.switchPeer(regionID: 1, awayFrom: peers[0]) == peers[1])
    #expect(cache.switchPeer(regionID: 1, awayFrom: peers[2]) == peers[0])
    #expect(cache.cachedRegion(containing: bytes("a"))?.target == peers[0])
  }
}
