import Engine
import Foundation
import Storage
import Synchronization
import Testing
import TinyKVProto

@testable import RaftStore

/// A read checked at one epoch and served after a split narrowed its region must fail with
/// `EpochNotMatch`, not read the narrower range: tikv-client's scans lost keys silently that
/// way (a clean-clone CI run saw 190 of 300 keys).
@Suite struct ReadAcrossSplitTests {
  @Test("a read checked before a split is refused once the split is applied")
  func readCheckedBeforeSplitRefused() throws {
    let fixture = try ConfChangeApplyTests.Fixture(storeID: 1)
    var narrowed = PeerStorageTests.region()
    let checkedVersion = narrowed.regionEpoch.version
    narrowed.endKey = Data("m".utf8)
    narrowed.regionEpoch.version += 1
    let answers = Mutex<[Result<(Snapshot, Metapb_Region), any Error>]>([])
    let read = { (version: UInt64) in
      PendingRead(index: 5, checkedVersion: version) { result in
        answers.withLock { $0.append(result) }
      }
    }
    // The raft loop's task carries the region as it is now, narrowed by the split.
    fixture.applier.apply([
      ApplyTask(
        regionID: 1, region: narrowed, entries: [], proposals: [],
        reads: [read(checkedVersion), read(narrowed.regionEpoch.version)])
    ])
    let results = answers.withLock { $0 }
    #expect(results.count == 2)
    guard results.count == 2 else { return }
    guard case .failure(let error as RegionError) = results[0] else {
      Issue.record("the read checked before the split was served: \(results[0])")
      return
    }
    #expect(error.error.hasEpochNotMatch)
    #expect(error.error.epochNotMatch.currentRegions.first?.endKey == Data("m".utf8))
    guard case .success(let (_, region)) = results[1] else {
      Issue.record("the read checked after the split failed: \(results[1])")
      return
    }
    #expect(region.endKey == Data("m".utf8))
  }
}
