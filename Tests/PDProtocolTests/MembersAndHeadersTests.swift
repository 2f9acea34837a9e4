import GRPCCore
import Testing
import TiKVGRPC
import TiKVProto

/// What a client sees first: members, headers, the cluster id check.
@Suite("PD service: members and headers")
struct MembersAndHeadersTests {
  @Test("GetMembers answers without a header, names this scheduler as leader with a dialable URL")
  func members() async throws {
    try await withPDService { pd, node in
      let response = try await pd.getMembers(TiKVPdpb_GetMembersRequest())
      #expect(response.header.clusterID == node.clusterID)
      #expect(!response.header.hasError)
      #expect(response.leader.name == "pd-test")
      #expect(response.leader.clientUrls == [advertisedURL])
      #expect(response.members == [response.leader])
      #expect(response.etcdLeader == response.leader)
      #expect(response.leader.memberID != 0)
    }
  }

  @Test("a success header carries the cluster id and no error field at all")
  func successHeader() async throws {
    try await withPDService { pd, node in
      try bootstrapWithTwoRegions(node)
      var request = TiKVPdpb_GetRegionRequest()
      request.header = header(node.clusterID)
      let response = try await pd.getRegion(request)
      #expect(response.header.clusterID == node.clusterID)
      #expect(!response.header.hasError)
      // On the wire: field 1 only (the cluster id), no field 2 (error).
      let bytes: [UInt8] = try response.header.serializedBytes()
      #expect(bytes.first == 0x08)
      #expect(!bytes.contains(0x12))
    }
  }

  @Test("a wrong cluster id is an error in the header, as PD reports it")
  func wrongClusterID() async throws {
    try await withPDService { pd, node in
      try bootstrapWithTwoRegions(node)
      var request = TiKVPdpb_GetRegionRequest()
      request.header = header(node.clusterID + 1)
      let response = try await pd.getRegion(request)
      #expect(response.header.clusterID == node.clusterID)
      #expect(response.header.error.type == .unknown)
      #expect(response.header.error.message.contains("mismatch cluster id"))
      #expect(!response.hasRegion)
    }
  }

  @Test("before bootstrap, lookups answer NOT_BOOTSTRAPPED")
  func notBootstrapped() async throws {
    try await withPDService { pd, node in
      var region = TiKVPdpb_GetRegionRequest()
      region.header = header(node.clusterID)
      let regionResponse = try await pd.getRegion(region)
      #expect(regionResponse.header.error.type == .notBootstrapped)
      var stores = TiKVPdpb_GetAllStoresRequest()
      stores.header = header(node.clusterID)
      let storesResponse = try await pd.getAllStores(stores)
      #expect(storesResponse.header.error.type == .notBootstrapped)
      var scan = TiKVPdpb_ScanRegionsRequest()
      scan.header = header(node.clusterID)
      let scanResponse = try await pd.scanRegions(scan)
      #expect(scanResponse.header.error.type == .notBootstrapped)
    }
  }

  @Test("GetClusterInfo reports PD service mode")
  func clusterInfo() async throws {
    try await withPDService { pd, node in
      let response = try await pd.getClusterInfo(TiKVPdpb_GetClusterInfoRequest())
      #expect(response.serviceModes == [.pdSvcMode])
      #expect(response.header.clusterID == node.clusterID)
      #expect(!response.header.hasError)
    }
  }
}
