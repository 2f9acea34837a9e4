import Foundation
import Testing
import TiKVGRPC
import TiKVProto

@Suite("PD service: region lookups")
struct RegionLookupTests {
  func getRegion(_ pd: PDClient, _ clusterID: UInt64, _ key: String) async throws
    -> TiKVPdpb_GetRegionResponse
  {
    var request = TiKVPdpb_GetRegionRequest()
    request.header = header(clusterID)
    request.regionKey = Data(key.utf8)
    return try await pd.getRegion(request)
  }

  @Test("GetRegion finds the region holding a key (the empty key included) with its leader")
  func byKey() async throws {
    try await withPDService { pd, node in
      try bootstrapWithTwoRegions(node)
      let id = node.clusterID
      for (key, expected) in [("", 10), ("a", 10), ("m", 20), ("zz", 20)] as [(String, UInt64)] {
        let response = try await getRegion(pd, id, key)
        #expect(!response.header.hasError)
        #expect(response.region.id == expected, "key \(key)")
      }
      let response = try await getRegion(pd, id, "a")
      #expect(response.region.startKey.isEmpty)
      #expect(response.region.endKey == Data("m".utf8))
      #expect(response.region.regionEpoch.version == 2)
      #expect(response.region.regionEpoch.confVer == 3)
      #expect(response.region.peers.map(\.storeID) == [1, 2, 3])
      #expect(response.leader.id == 101)
      #expect(response.leader.storeID == 1)
      #expect(response.pendingPeers.map(\.id) == [103])
    }
  }

  @Test("GetRegionByID and GetPrevRegion; an unknown region is REGION_NOT_FOUND")
  func byIDAndPrevious() async throws {
    try await withPDService { pd, node in
      try bootstrapWithTwoRegions(node)
      var byID = TiKVPdpb_GetRegionByIDRequest()
      byID.header = header(node.clusterID)
      byID.regionID = 20
      let found = try await pd.getRegionByID(byID)
      #expect(!found.header.hasError)
      #expect(found.region.startKey == Data("m".utf8))
      #expect(found.leader.id == 201)
      byID.regionID = 99
      let missing = try await pd.getRegionByID(byID)
      #expect(missing.header.error.type == .regionNotFound)
      #expect(!missing.hasRegion)

      var previous = TiKVPdpb_GetRegionRequest()
      previous.header = header(node.clusterID)
      previous.regionKey = Data("m".utf8)
      #expect(try await pd.getPrevRegion(previous).region.id == 10)
      previous.regionKey = Data("b".utf8)
      #expect(try await pd.getPrevRegion(previous).header.error.type == .regionNotFound)
    }
  }

  @Test("GetRegion before any region is known is REGION_NOT_FOUND")
  func noRegionYet() async throws {
    try await withPDService { pd, node in
      try node.cluster.bootstrap(store: store(1))
      let response = try await getRegion(pd, node.clusterID, "a")
      #expect(response.header.error.type == .regionNotFound)
    }
  }

  @Test("ScanRegions honours start, end and limit, filling both the old and the new fields")
  func scan() async throws {
    try await withPDService { pd, node in
      try bootstrapWithTwoRegions(node)
      func scan(_ start: String, _ end: String, limit: Int32) async throws
        -> TiKVPdpb_ScanRegionsResponse
      {
        var request = TiKVPdpb_ScanRegionsRequest()
        request.header = header(node.clusterID)
        request.startKey = Data(start.utf8)
        request.endKey = Data(end.utf8)
        request.limit = limit
        return try await pd.scanRegions(request)
      }
      let all = try await scan("", "", limit: 0)
      #expect(!all.header.hasError)
      #expect(all.regions.map(\.region.id) == [10, 20])
      #expect(all.regions.map(\.leader.id) == [101, 201])
      #expect(all.regions.map { $0.pendingPeers.map(\.id) } == [[103], [203]])
      #expect(all.regionMetas.map(\.id) == [10, 20])
      #expect(all.leaders.map(\.id) == [101, 201])
      #expect(try await scan("", "", limit: 1).regions.map(\.region.id) == [10])
      #expect(try await scan("n", "", limit: 10).regions.map(\.region.id) == [20])
      #expect(try await scan("a", "c", limit: -1).regions.map(\.region.id) == [10])
      #expect(try await scan("a", "m", limit: 10).regions.map(\.region.id) == [10])
      #expect(try await scan("a", "n", limit: 10).regions.map(\.region.id) == [10, 20])
    }
  }
}
