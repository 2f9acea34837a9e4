import Engine
import Foundation
import Storage
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// A read is served from the kv engine for keys of its region only (a lease read takes no
/// Raft round, so this is where a key outside the region is caught).
@Suite struct RegionReaderTests {
  @Test("a key outside the region is KeyNotInRegion, not another region's data")
  func keyOutsideTheRegion() throws {
    let directory = try TemporaryDirectory("region-reader")
    let db = try Database(path: directory.appending("kv"), options: .small())
    defer { db.close() }
    let batch = try db.makeWriteBatch()
    for key in ["a", "c", "e"] { try batch.put(.default, Data(key.utf8), Data("v-\(key)".utf8)) }
    try db.write(batch, sync: false)
    var region = Metapb_Region()
    region.id = 3
    region.startKey = Data("b".utf8)
    region.endKey = Data("d".utf8)
    let reader = RegionReader(snapshot: try db.snapshot(), region: region)
    #expect(try reader.get(.default, Data("c".utf8)) == Data("v-c".utf8))
    for key in ["a", "e", "d"] {
      do {
        _ = try reader.get(.default, Data(key.utf8))
        Issue.record("\(key) was read from region [b, d)")
      } catch let error as RegionError {
        #expect(error.error.hasKeyNotInRegion && error.error.keyNotInRegion.regionID == 3)
      }
    }
  }
}
