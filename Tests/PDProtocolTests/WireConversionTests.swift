import Foundation
import Testing
import TiKVProto
import TinyKVProto

@testable import PDProtocol

/// TinyKV's metapb messages are a field-number subset of kvproto's, so serialising one and
/// parsing it as the other keeps every field.
@Suite("Wire conversion from TinyKV's metapb to TiKV's")
struct WireConversionTests {
  @Test("a region keeps its range, epoch and peers")
  func region() throws {
    let tinykv = PDProtocolTests.region(7, "a", "z").meta
    let tikv: TiKVMetapb_Region = try tinykv.converted()
    #expect(tikv.id == 7)
    #expect(tikv.startKey == Data("a".utf8))
    #expect(tikv.endKey == Data("z".utf8))
    #expect(tikv.regionEpoch.version == 2)
    #expect(tikv.regionEpoch.confVer == 3)
    #expect(tikv.peers.map(\.id) == [71, 72, 73])
    #expect(tikv.peers.map(\.storeID) == [1, 2, 3])
    #expect(tikv.peers.allSatisfy { $0.role == .voter })
  }

  @Test(
    "a store keeps its id, address and state",
    arguments: [Metapb_StoreState.up, .offline, .tombstone])
  func store(state: Metapb_StoreState) throws {
    var tinykv = PDProtocolTests.store(4)
    tinykv.state = state
    let tikv: TiKVMetapb_Store = try tinykv.converted()
    #expect(tikv.id == 4)
    #expect(tikv.address == "127.0.0.1:20164")
    #expect(tikv.state.rawValue == state.rawValue)
  }

  @Test("arrays convert element by element")
  func arrays() throws {
    let peers = PDProtocolTests.region(1, "", "").meta.peers
    let converted: [TiKVMetapb_Peer] = try peers.converted()
    #expect(converted.map(\.id) == peers.map(\.id))
  }
}
