import Foundation
import Testing
import TinyKVProto

@testable import Client

@Suite("Requests addressed to a region")
struct RegionAddressedTests {
  /// Runs `body` with a router over a fresh cache of `cluster`'s directory.
  func withSender(
    _ cluster: FakeCluster, _ body: (RegionRequestSender) async throws -> Void
  ) async throws {
    let connections = StoreConnections()
    let sender = RegionRequestSender(
      cache: RegionCache(directory: cluster.directory), connections: connections,
      options: .fast)
    do {
      try await body(sender)
    } catch {
      await connections.shutdown()
      throw error
    }
    await connections.shutdown()
  }

  func put(_ key: String, in region: CachedRegion, with sender: RegionRequestSender)
    async throws
  {
    let request = Kvrpcpb_RawPutRequest(key: bytes(key), value: bytes(key), cf: "")
    _ = try await sender.send("raw put", region: region, request)
  }

  @Test("a request addressed to a region follows its leader")
  func followsLeaderWithinRegion() async throws {
    try await FakeCluster.run { cluster in
      cluster.setLeader(region: 1, store: 2)
      try await withSender(cluster) { sender in
        let region = try #require(try await sender.cache.locate(bytes("a")))
        try await put("a", in: region, with: sender)
        try await put("b", in: region, with: sender)
      }
      #expect(cluster.store(1).requests == 1)
      #expect(cluster.store(2).served.map(\.key) == [bytes("a"), bytes("b")])
    }
  }

  @Test("a request addressed to a region that split tells the caller to regroup")
  func splitRegionAsksToRegroup() async throws {
    try await FakeCluster.run { cluster in
      try await withSender(cluster) { sender in
        let before = try #require(try await sender.cache.locate(bytes("h")))
        cluster.split(region: 2, at: "k", newID: 4, newLeader: 3)
        await #expect(throws: RegionChangedError.self) {
          try await put("m", in: before, with: sender)
        }
        let after = try #require(try await sender.cache.locate(bytes("m")))
        #expect(after.region.id == 4)
        try await put("m", in: after, with: sender)
      }
      #expect(cluster.store(3).served.map(\.region) == [4])
    }
  }
}
