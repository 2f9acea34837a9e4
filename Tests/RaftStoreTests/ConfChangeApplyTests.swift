import Engine
import Foundation
import Storage
import Synchronization
import Testing
import TinyKVProto

@testable import RaftStore

/// The apply loop's half of a membership change, driven directly: the epoch check, the
/// persisted region, the notification, and the tombstone of a removed peer of this store.
@Suite struct ConfChangeApplyTests {
  /// Engines with region 1 (peers 1, 2, 3 at conf_ver 1) bootstrapped, applied to 5, and an
  /// `Applier` for store `storeID` over them that records what it tells the peers.
  final class Fixture {
    let engines: PeerStorageTests.Engines
    let notified = Recorded<PeerMessage>()
    var applier: Applier

    init(storeID: UInt64) throws {
      let engines = try PeerStorageTests.Engines()
      self.engines = engines
      try PeerStorage.bootstrap(
        region: PeerStorageTests.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
      let storage = try PeerStorage(regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB)
      let snapshots = try SnapshotManager(directory: engines.directory.appending("snap"))
      let notified = notified
      applier = Applier(
        storeID: storeID, kvDB: engines.kvDB, applyStates: [1: storage.applyState],
        snapshots: snapshots, config: Cluster.testConfig,
        notify: { _, message in notified.append(message) }, notifyStore: { _ in })
    }

    /// Applies removals of `peers`, each proposed at `confVer`, as entries `index`... of one
    /// task.
    /// - Returns: each proposal's outcome.
    func apply(
      removing peers: [UInt64], confVer: UInt64, from index: UInt64 = 6
    ) throws -> [Result<Void, any Error>] {
      let outcomes = Recorded<Result<Void, any Error>>()
      var entries: [Eraftpb_Entry] = []
      var proposals: [Proposal] = []
      for (offset, peer) in peers.enumerated() {
        var command = RaftCmdpb_RaftCmdRequest()
        command.header.regionID = 1
        command.header.regionEpoch.confVer = confVer
        command.header.regionEpoch.version = 1
        command.adminRequest.cmdType = .changePeer
        command.adminRequest.changePeer.changeType = .removeNode
        command.adminRequest.changePeer.peer = PeerStorageTests.region().peers[Int(peer) - 1]
        var change = Eraftpb_ConfChange()
        change.changeType = .removeNode
        change.nodeID = peer
        change.context = try command.serializedData()
        var entry = Eraftpb_Entry()
        entry.entryType = .entryConfChange
        entry.index = index + UInt64(offset)
        entry.term = 6
        entry.data = try change.serializedData()
        entries.append(entry)
        proposals.append(
          Proposal(
            index: entry.index, term: 6,
            callback: { result in outcomes.append(result) }))
      }
      applier.apply([
        ApplyTask(
          regionID: 1, region: PeerStorageTests.region(), snapshot: nil, entries: entries,
          proposals: proposals, reads: [])
      ])
      return outcomes.values
    }

    func regionState() throws -> RaftServerpb_RegionLocalState {
      try RaftServerpb_RegionLocalState(
        serializedBytes: try #require(try engines.kvDB.get(.meta, Keys.regionStateKey(1))))
    }
  }

  @Test func aChangeAtAStaleConfVerIsSkipped() throws {
    let fixture = try Fixture(storeID: 1)
    // Both proposed at conf_ver 1: the first applies, the second finds conf_ver 2.
    let outcomes = try fixture.apply(removing: [3, 2], confVer: 1)
    #expect((try? outcomes[0].get()) != nil)
    #expect(throws: RegionError.self) { try outcomes[1].get() }
    if case .failure(let error as RegionError) = outcomes[1] {
      #expect(error.error.hasEpochNotMatch)
    }
    let state = try fixture.regionState()
    #expect(state.state == .normal)
    #expect(state.region.regionEpoch.confVer == 2)
    #expect(state.region.peers.map(\.id) == [1, 2])
    let notified = fixture.notified.values
    #expect(notified.count == 1)
    if case .confChangeApplied(let change, let region) = notified.first {
      #expect(change.nodeID == 3 && region.peers.map(\.id) == [1, 2])
    } else {
      Issue.record("expected a confChangeApplied, got \(notified)")
    }
  }

  @Test func removingThisStoresPeerTombstonesTheRegion() throws {
    let fixture = try Fixture(storeID: 3)
    let outcomes = try fixture.apply(removing: [3], confVer: 1)
    #expect((try? outcomes[0].get()) != nil)
    let state = try fixture.regionState()
    #expect(state.state == .tombstone)
    #expect(state.region.peers.map(\.id) == [1, 2])
    #expect(try fixture.engines.kvDB.get(.meta, Keys.applyStateKey(1)) == nil)
    #expect(try PeerStorage.regionIDs(in: fixture.engines.kvDB).isEmpty)
    // Nothing more is applied for the region here. A later proposal was in the log the other
    // peers keep, so they may still apply it: its outcome is unknown, not "not found".
    let later = try fixture.apply(removing: [2], confVer: 2, from: 7)
    if case .failure(let error as RegionError) = later[0] {
      #expect(error.error.hasUndeterminedResult)
    } else {
      Issue.record("a change after the removal was applied: \(later)")
    }
  }
}

/// Values recorded by callbacks, in the order they were called.
final class Recorded<Value: Sendable>: Sendable {
  private let recorded = Mutex<[Value]>([])
  func append(_ value: Value) { recorded.withLock { $0.append(value) } }
  var values: [Value] { recorded.withLock { $0 } }
}
