import Foundation
import Storage
import Testing
import TiKVProto
import TiKVProtocol
import TinyKVProto

/// TinyKV's messages become TiKV's field for field (the shared kvproto numbering).
@Suite("TinyKV to TiKV conversion")
struct ConversionTests {
  private var region: Metapb_Region {
    var region = Metapb_Region()
    region.id = 7
    region.startKey = Data([0x01, 0xFF])
    region.endKey = Data([0x80])
    region.regionEpoch.confVer = 3
    region.regionEpoch.version = 5
    region.peers = [(UInt64(8), UInt64(1)), (9, 2)].map { id, store in
      var peer = Metapb_Peer()
      peer.id = id
      peer.storeID = store
      return peer
    }
    return region
  }

  @Test("a Region with its epoch and peers round-trips")
  func regionRoundTrip() throws {
    let tikv: TiKVMetapb_Region = try region.reencoded()
    #expect(tikv.id == 7 && tikv.startKey == region.startKey && tikv.endKey == region.endKey)
    #expect(tikv.regionEpoch.confVer == 3 && tikv.regionEpoch.version == 5)
    #expect(tikv.peers.map(\.id) == [8, 9] && tikv.peers.map(\.storeID) == [1, 2])
    #expect(tikv.peers.allSatisfy { $0.role == .voter })
    #expect(try tikv.reencoded(as: Metapb_Region.self) == region)
  }

  @Test("a Peer round-trips")
  func peerRoundTrip() throws {
    let peer = region.peers[1]
    let tikv: TiKVMetapb_Peer = try peer.reencoded()
    #expect(tikv.id == 9 && tikv.storeID == 2)
    #expect(try tikv.reencoded(as: Metapb_Peer.self) == peer)
  }

  @Test("every region error TinyKV's store sends arrives as the same TiKV error")
  func regionErrors() throws {
    var notLeader = Errorpb_Error()
    notLeader.message = "not leader"
    notLeader.notLeader.regionID = 7
    notLeader.notLeader.leader = region.peers[0]
    let leader = TiKVErrorpb_Error(RegionError(notLeader))
    #expect(leader.message == "not leader" && leader.notLeader.regionID == 7)
    #expect(leader.notLeader.leader.id == 8 && leader.notLeader.leader.storeID == 1)

    var epoch = Errorpb_Error()
    epoch.epochNotMatch.currentRegions = [region, region]
    let tikvEpoch = TiKVErrorpb_Error(RegionError(epoch))
    #expect(tikvEpoch.epochNotMatch.currentRegions.count == 2)
    #expect(tikvEpoch.epochNotMatch.currentRegions[0].regionEpoch.version == 5)

    var notInRegion = Errorpb_Error()
    notInRegion.keyNotInRegion.key = Data("k".utf8)
    notInRegion.keyNotInRegion.regionID = 7
    notInRegion.keyNotInRegion.startKey = region.startKey
    notInRegion.keyNotInRegion.endKey = region.endKey
    let key = TiKVErrorpb_Error(RegionError(notInRegion)).keyNotInRegion
    #expect(key.key == Data("k".utf8) && key.regionID == 7 && key.endKey == region.endKey)

    var notFound = Errorpb_Error()
    notFound.regionNotFound.regionID = 11
    #expect(TiKVErrorpb_Error(RegionError(notFound)).regionNotFound.regionID == 11)

    var stale = Errorpb_Error()
    stale.staleCommand = Errorpb_StaleCommand()
    #expect(TiKVErrorpb_Error(RegionError(stale)).hasStaleCommand)

    var store = Errorpb_Error()
    store.storeNotMatch.requestStoreID = 1
    store.storeNotMatch.actualStoreID = 2
    #expect(TiKVErrorpb_Error(RegionError(store)).storeNotMatch.actualStoreID == 2)
  }

  @Test("a TiKV context keeps what the store routes on")
  func context() {
    var context = TiKVKvrpcpb_Context()
    context.regionID = 7
    context.regionEpoch.confVer = 3
    context.regionEpoch.version = 5
    context.peer.id = 8
    context.peer.storeID = 1
    context.term = 4
    context.priority = .high
    context.resourceGroupTag = Data([1])
    let tiny = context.tinyKV
    #expect(tiny.regionID == 7 && tiny.regionEpoch.version == 5 && tiny.regionEpoch.confVer == 3)
    #expect(tiny.peer.id == 8 && tiny.peer.storeID == 1 && tiny.term == 4)
    #expect(tiny.unknownFields.data.isEmpty)
    #expect(!TiKVKvrpcpb_Context().tinyKV.hasRegionEpoch)
  }
}
