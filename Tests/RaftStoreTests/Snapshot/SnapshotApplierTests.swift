import Engine
import Foundation
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

/// A crash anywhere in installing a snapshot recovers at restart: the data, log and states
/// end up exactly as if the install had run through.
@Suite struct SnapshotApplierTests {
  struct Crash: Error {}

  /// A receiving store: region 1 bootstrapped, entries 6...10, stale data in its range, and
  /// the source's snapshot received into its manager.
  final class Receiver {
    let engines: PeerStorageTests.Engines
    let manager: SnapshotManager
    let storage: PeerStorage

    init(_ snapshot: Eraftpb_Snapshot, from source: SnapshotFixture) throws {
      engines = try PeerStorageTests.Engines()
      manager = try SnapshotManager(directory: engines.directory.appending("snap"))
      try PeerStorage.bootstrap(
        region: PeerStorageTests.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
      storage = try PeerStorage(regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB)
      let log = try engines.raftDB.makeWriteBatch()
      try storage.append(PeerStorageTests.entries(6...10, term: 6), to: log)
      try storage.persistRaftState(to: log)
      try engines.raftDB.write(log, sync: true)
      let stale = try engines.kvDB.makeWriteBatch()
      for cf in ColumnFamily.data { try stale.put(cf, Data("stale-\(cf)".utf8), Data("x".utf8)) }
      try engines.kvDB.write(stale, sync: true)
      try streamSnapshot(SnapshotFixture.message(snapshot), from: source.manager, to: manager)
    }

    /// The raft loop's half: the marker (synced) and, if `writeRaftBatch`, the log's batch.
    func startInstall(_ snapshot: Eraftpb_Snapshot, writeRaftBatch: Bool) throws {
      let batch = try engines.raftDB.makeWriteBatch()
      try storage.applySnapshot(snapshot, to: batch)
      try storage.persistRaftState(to: batch)
      if writeRaftBatch { try engines.raftDB.write(batch, sync: true) }
    }

    /// Restarts as the store does: reopen the engines and load the peers.
    func restart() throws -> (
      peers: [UInt64: Peer], applyStates: [UInt64: RaftServerpb_RaftApplyState]
    ) {
      try engines.reopen()
      let context = PeerContext(
        storeID: 1, config: Cluster.testConfig, router: Router(), transport: LocalTransport(),
        queues: BackgroundQueues(logGC: { _ in }, snapshotGeneration: { _ in }),
        snapshots: manager)
      return try RaftStore.loadPeers(raftDB: engines.raftDB, kvDB: engines.kvDB, context: context)
    }

    /// Checks the region is exactly the snapshot: data, log, states, no marker, no files.
    func expectInstalled(
      _ source: SnapshotFixture, _ loaded: [UInt64: RaftServerpb_RaftApplyState],
      _ peers: [UInt64: Peer]
    ) throws {
      for cf in ColumnFamily.data {
        #expect(try SnapshotFixture.contents(engines.kvDB, cf) == source.data[cf.name] ?? [:])
      }
      #expect(loaded[1]?.appliedIndex == 50)
      #expect(loaded[1]?.truncatedState.index == 50)
      let storage = try #require(peers[1]).storage
      #expect(storage.firstIndex() == 51)
      #expect(storage.lastIndex() == 50)
      #expect(try storage.term(50) == 7)
      #expect(try storage.initialState().hardState.commit >= 50)
      for index in UInt64(6)...10 {
        #expect(try engines.raftDB.get(.default, Keys.raftLogKey(1, index)) == nil)
      }
      #expect(try engines.kvDB.get(.meta, Keys.snapshotApplyingKey(1)) == nil)
      #expect(try SnapshotFixture.files(manager).isEmpty)
    }
  }

  static func config(crashAfter batches: Int) -> RaftStoreConfig {
    var config = Cluster.testConfig
    config.snapshotApplyBatchBytes = 1024
    config.snapshotApplyHook = { written in if written == batches { throw Crash() } }
    return config
  }

  @Test func installRunsThrough() throws {
    let source = try SnapshotFixture()
    let snapshot = try source.generate()
    let receiver = try Receiver(snapshot, from: source)
    try receiver.startInstall(snapshot, writeRaftBatch: true)
    _ = try SnapshotApplier.load(
      snapshot, regionID: 1, kvDB: receiver.engines.kvDB, manager: receiver.manager,
      config: Self.config(crashAfter: -1))
    let (peers, applyStates) = try receiver.restart()
    try receiver.expectInstalled(source, applyStates, peers)
  }

  @Test(arguments: [1, 5])
  func crashWhileLoadingDataIsRedoneAtRestart(batches: Int) throws {
    let source = try SnapshotFixture()
    let snapshot = try source.generate()
    let receiver = try Receiver(snapshot, from: source)
    try receiver.startInstall(snapshot, writeRaftBatch: true)
    #expect(throws: Crash.self) {
      _ = try SnapshotApplier.load(
        snapshot, regionID: 1, kvDB: receiver.engines.kvDB, manager: receiver.manager,
        config: Self.config(crashAfter: batches))
    }
    // Half the data is in, the stale keys are gone, the marker remains.
    #expect(try receiver.engines.kvDB.get(.meta, Keys.snapshotApplyingKey(1)) != nil)
    let (peers, applyStates) = try receiver.restart()
    try receiver.expectInstalled(source, applyStates, peers)
  }

  @Test func crashBeforeTheRaftBatchIsRedoneAtRestart() throws {
    let source = try SnapshotFixture()
    let snapshot = try source.generate()
    let receiver = try Receiver(snapshot, from: source)
    // Only the marker reached the disk: the old log (entries 6...10) is still there.
    try receiver.startInstall(snapshot, writeRaftBatch: false)
    let (peers, applyStates) = try receiver.restart()
    try receiver.expectInstalled(source, applyStates, peers)
  }
}
