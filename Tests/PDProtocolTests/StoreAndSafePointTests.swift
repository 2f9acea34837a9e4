import Foundation
import Testing
import TiKVGRPC
import TiKVProto

@Suite("PD service: stores and GC safe points")
struct StoreAndSafePointTests {
  @Test("GetStore and GetAllStores; a tombstone is flagged and can be left out")
  func stores() async throws {
    try await withPDService { pd, node in
      try bootstrapWithTwoRegions(node)
      var get = TiKVPdpb_GetStoreRequest()
      get.header = header(node.clusterID)
      get.storeID = 2
      let two = try await pd.getStore(get)
      #expect(!two.header.hasError)
      #expect(two.store.id == 2)
      #expect(two.store.address == "127.0.0.1:20162")
      #expect(two.store.state == .up)
      get.storeID = 99
      #expect(try await pd.getStore(get).header.hasError)

      try node.cluster.setStoreState(id: 3, .tombstone)
      get.storeID = 3
      let three = try await pd.getStore(get)
      #expect(three.header.error.type == .storeTombstone)
      #expect(three.store.state == .tombstone)

      var all = TiKVPdpb_GetAllStoresRequest()
      all.header = header(node.clusterID)
      #expect(try await pd.getAllStores(all).stores.map(\.id) == [1, 2, 3])
      all.excludeTombstoneStores = true
      let live = try await pd.getAllStores(all)
      #expect(!live.header.hasError)
      #expect(live.stores.map(\.id) == [1, 2])
    }
  }

  @Test("the GC safe point only moves forward; UpdateGCSafePoint returns the new one")
  func gcSafePoint() async throws {
    try await withPDService { pd, node in
      try bootstrapWithTwoRegions(node)
      var get = TiKVPdpb_GetGCSafePointRequest()
      get.header = header(node.clusterID)
      #expect(try await pd.getGCSafePoint(get).safePoint == 0)
      var update = TiKVPdpb_UpdateGCSafePointRequest()
      update.header = header(node.clusterID)
      update.safePoint = 100
      let moved = try await pd.updateGCSafePoint(update)
      #expect(!moved.header.hasError)
      #expect(moved.newSafePoint == 100)
      update.safePoint = 50
      #expect(try await pd.updateGCSafePoint(update).newSafePoint == 100)
      #expect(try await pd.getGCSafePoint(get).safePoint == 100)
    }
  }

  @Test("service safe points: the minimum of the live ones; TTL 0 removes one")
  func serviceSafePoints() async throws {
    try await withPDService { pd, node in
      try bootstrapWithTwoRegions(node)
      func update(_ service: String, _ safePoint: UInt64, ttl: Int64) async throws
        -> TiKVPdpb_UpdateServiceGCSafePointResponse
      {
        var request = TiKVPdpb_UpdateServiceGCSafePointRequest()
        request.header = header(node.clusterID)
        request.serviceID = Data(service.utf8)
        request.safePoint = safePoint
        request.ttl = ttl
        return try await pd.updateServiceGCSafePoint(request)
      }
      let first = try await update("a", 10, ttl: 100)
      #expect(!first.header.hasError)
      #expect(first.minSafePoint == 10)
      #expect(first.serviceID == Data("a".utf8))
      #expect(first.ttl > 90 && first.ttl <= 100)
      let second = try await update("b", 5, ttl: 100)
      #expect(second.minSafePoint == 5)
      #expect(second.serviceID == Data("b".utf8))
      let removed = try await update("b", 5, ttl: 0)
      #expect(removed.minSafePoint == 10)
      #expect(removed.serviceID == Data("a".utf8))
    }
  }
}
