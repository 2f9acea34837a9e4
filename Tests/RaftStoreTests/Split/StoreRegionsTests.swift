import Foundation
import Testing
import TinyKVProto

@testable import RaftStore

/// The regions an `EpochNotMatch` names besides the addressed one.
@Suite("StoreRegions")
struct StoreRegionsTests {
  private func region(_ id: UInt64, _ start: String, _ end: String, version: UInt64)
    -> Metapb_Region
  {
    var region = Metapb_Region()
    region.id = id
    region.startKey = Data(start.utf8)
    region.endKey = Data(end.utf8)
    region.regionEpoch.version = version
    return region
  }

  @Test("the regions split off since the client's version follow the region one after the other")
  func splitOffChain() {
    let regions = StoreRegions()
    let left = region(1, "", "g", version: 4)
    regions.update(left)
    regions.update(region(2, "g", "p", version: 3))
    regions.update(region(3, "p", "", version: 4))
    regions.update(region(9, "x", "z", version: 9))  // not adjacent: never named
    #expect(regions.splitOff(from: left, since: 1).map(\.id) == [2, 3])
    #expect(
      regions.splitOff(from: left, since: 3).map(\.id) == [], "2 is not newer: the chain stops")
    regions.remove(2)
    #expect(regions.splitOff(from: left, since: 1).map(\.id) == [])
  }

  @Test("a region reaching the end of the key space has nothing split off to its right")
  func lastRegion() {
    let regions = StoreRegions()
    let last = region(3, "p", "", version: 4)
    regions.update(last)
    regions.update(region(1, "", "p", version: 4))
    #expect(regions.splitOff(from: last, since: 1).isEmpty)
  }
}
