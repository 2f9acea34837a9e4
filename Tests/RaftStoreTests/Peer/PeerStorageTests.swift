import Engine
import Foundation
import Raft
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

@Suite struct PeerStorageTests {
  /// Engines in a temporary folder, reopened at will.
  final class Engines {
    let directory: TemporaryDirectory
    var raftDB: Database
    var kvDB: Database

    init() throws {
      directory = try TemporaryDirectory("peer-storage")
      (raftDB, kvDB) = try Self.open(directory)
    }

    static func open(_ directory: TemporaryDirectory) throws -> (Database, Database) {
      var raftOptions = DatabaseOptions()
      raftOptions.columnFamilies = [.default]
      raftOptions.blockCacheBytes = 1 << 20
      raftOptions.writeBufferBytes = 1 << 20
      var kvOptions = DatabaseOptions()
      kvOptions.blockCacheBytes = 1 << 20
      kvOptions.writeBufferBytes = 1 << 20
      return (
        try Database(path: directory.appending("raft"), options: raftOptions),
        try Database(path: directory.appending("kv"), options: kvOptions)
      )
    }

    func reopen() throws {
      raftDB.close()
      kvDB.close()
      (raftDB, kvDB) = try Self.open(directory)
    }
  }

  static func region(id: UInt64 = 1, peers: [UInt64] = [1, 2, 3]) -> Metapb_Region {
    var region = Metapb_Region()
    region.id = id
    region.regionEpoch.confVer = 1
    region.regionEpoch.version = 1
    region.peers = peers.map { id in
      var peer = Metapb_Peer()
      peer.id = id
      peer.storeID = id
      return peer
    }
    return region
  }

  static func entries(_ range: ClosedRange<UInt64>, term: UInt64) -> [Eraftpb_Entry] {
    range.map { index in
      var entry = Eraftpb_Entry()
      entry.index = index
      entry.term = term
      entry.data = Data("entry \(index)".utf8)
      return entry
    }
  }

  func append(_ entries: [Eraftpb_Entry], _ storage: PeerStorage, _ db: Database) throws {
    let batch = try db.makeWriteBatch()
    try storage.append(entries, to: batch)
    try storage.persistRaftState(to: batch)
    try db.write(batch, sync: true)
  }

  @Test func bootstrappedRegionStartsAtIndexFiveWithItsPeers() throws {
    let engines = try Engines()
    try PeerStorage.bootstrap(region: Self.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
    let storage = try PeerStorage(regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB)
    let state = try storage.initialState()
    #expect(state.hardState == Eraftpb_HardState(term: 5, vote: 0, commit: 5))
    #expect(state.confState.nodes == [1, 2, 3])
    #expect(storage.firstIndex() == 6)
    #expect(storage.lastIndex() == 5)
    #expect(try storage.term(5) == 5)
    #expect(throws: RaftError.compacted) { try storage.term(4) }
    #expect(throws: RaftError.unavailable) { try storage.term(6) }
    #expect(try storage.entries(6, 6, maxSize: .max).isEmpty)
    #expect(try PeerStorage.regionIDs(in: engines.kvDB) == [1])
  }

  @Test func bootstrappingTwiceFails() throws {
    let engines = try Engines()
    try PeerStorage.bootstrap(region: Self.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
    #expect(throws: RaftStoreError(code: .alreadyBootstrapped, message: "")) {
      try PeerStorage.bootstrap(region: Self.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
    }
  }

  @Test func missingRegionIsNotBootstrapped() throws {
    let engines = try Engines()
    #expect(throws: RaftStoreError(code: .notBootstrapped, message: "")) {
      try PeerStorage(regionID: 9, raftDB: engines.raftDB, kvDB: engines.kvDB)
    }
  }

  @Test func appendedEntriesAreReadBackAndLimitedBySize() throws {
    let engines = try Engines()
    let storage = try storageWithEntriesToTen(engines)
    #expect(storage.lastIndex() == 10)
    #expect(try storage.entries(6, 11, maxSize: .max) == Self.entries(6...10, term: 6))
    #expect(try storage.entries(7, 9, maxSize: .max) == Self.entries(7...8, term: 6))
    #expect(try storage.entries(6, 11, maxSize: 0).count == 1)
    #expect(try storage.term(8) == 6)
    #expect(throws: RaftError.compacted) { try storage.entries(5, 7, maxSize: .max) }
    #expect(throws: RaftError.unavailable) { try storage.entries(6, 12, maxSize: .max) }
  }

  @Test func appendTruncatesTheConflictingSuffix() throws {
    let engines = try Engines()
    let storage = try storageWithEntriesToTen(engines)
    try append(Self.entries(8...9, term: 7), storage, engines.raftDB)
    #expect(storage.lastIndex() == 9)
    #expect(try storage.term(9) == 7)
    #expect(
      try storage.entries(6, 10, maxSize: .max)
        == Self.entries(6...7, term: 6) + Self.entries(8...9, term: 7))
    // The old entry 10 is gone from the engine, not just hidden.
    #expect(try engines.raftDB.get(.default, Keys.raftLogKey(1, 10)) == nil)
  }

  @Test func stateIsRecoveredAfterReopening() throws {
    let engines = try Engines()
    try PeerStorage.bootstrap(region: Self.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
    let storage = try PeerStorage(regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB)
    do {
      // Scoped: a live batch keeps RocksDB open (and locked) after `close`.
      let batch = try engines.raftDB.makeWriteBatch()
      try storage.append(Self.entries(6...8, term: 7), to: batch)
      storage.setHardState(Eraftpb_HardState(term: 7, vote: 2, commit: 7))
      try storage.persistRaftState(to: batch)
      try engines.raftDB.write(batch, sync: true)
    }

    try engines.reopen()
    let recovered = try PeerStorage(regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB)
    #expect(
      try recovered.initialState().hardState == Eraftpb_HardState(term: 7, vote: 2, commit: 7))
    #expect(recovered.lastIndex() == 8)
    #expect(try recovered.term(8) == 7)
    #expect(try recovered.entries(6, 9, maxSize: .max) == Self.entries(6...8, term: 7))
  }

  @Test func commitIndexIsRaisedToTheAppliedIndex() throws {
    let engines = try Engines()
    try PeerStorage.bootstrap(region: Self.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
    let storage = try PeerStorage(regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB)
    try append(Self.entries(6...8, term: 6), storage, engines.raftDB)
    var applyState = storage.applyState
    applyState.appliedIndex = 8
    let batch = try engines.kvDB.makeWriteBatch()
    try batch.put(.meta, Keys.applyStateKey(1), applyState.serializedData())
    try engines.kvDB.write(batch, sync: true)
    let recovered = try PeerStorage(regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB)
    #expect(try recovered.initialState().hardState.commit == 8)
  }

  /// Region 1 bootstrapped in `engines`, with entries 6...10 of term 6.
  func storageWithEntriesToTen(_ engines: Engines) throws -> PeerStorage {
    try PeerStorage.bootstrap(region: Self.region(), raftDB: engines.raftDB, kvDB: engines.kvDB)
    let storage = try PeerStorage(regionID: 1, raftDB: engines.raftDB, kvDB: engines.kvDB)
    try append(Self.entries(6...10, term: 6), storage, engines.raftDB)
    return storage
  }

  static func truncated(_ index: UInt64, term: UInt64) -> RaftServerpb_RaftTruncatedState {
    var state = RaftServerpb_RaftTruncatedState()
    state.index = index
    state.term = term
    return state
  }

  @Test func truncationMovesTheFirstIndexAndKeepsTheLastTerm() throws {
    let engines = try Engines()
    let storage = try storageWithEntriesToTen(engines)
    #expect(storage.approximateLogSize > 0)
    let size = storage.approximateLogSize
    #expect(storage.truncate(to: Self.truncated(8, term: 6)))
    #expect(storage.approximateLogSize < size)
    #expect(storage.firstIndex() == 9)
    #expect(try storage.term(8) == 6)
    #expect(throws: RaftError.compacted) { try storage.term(7) }
    #expect(try storage.entries(9, 11, maxSize: .max) == Self.entries(9...10, term: 6))
    // Older, equal, or past the log: ignored.
    #expect(!storage.truncate(to: Self.truncated(7, term: 6)))
    #expect(!storage.truncate(to: Self.truncated(8, term: 6)))
    #expect(!storage.truncate(to: Self.truncated(11, term: 6)))
    #expect(storage.firstIndex() == 9)
  }

  static func snapshot(index: UInt64, term: UInt64) throws -> Eraftpb_Snapshot {
    var data = RaftServerpb_RaftSnapshotData()
    data.region = region()
    var snapshot = Eraftpb_Snapshot()
    snapshot.metadata.index = index
    snapshot.metadata.term = term
    snapshot.metadata.confState.nodes = [1, 2, 3]
    snapshot.data = try data.serializedData()
    return snapshot
  }

  @Test func applyingASnapshotReplacesTheLogAndLeavesAMarker() throws {
    let engines = try Engines()
    let storage = try storageWithEntriesToTen(engines)
    let snapshot = try Self.snapshot(index: 20, term: 7)
    let batch = try engines.raftDB.makeWriteBatch()
    try storage.applySnapshot(snapshot, to: batch)
    try storage.persistRaftState(to: batch)
    try engines.raftDB.write(batch, sync: true)
    #expect(storage.firstIndex() == 21)
    #expect(storage.lastIndex() == 20)
    #expect(try storage.term(20) == 7)
    #expect(throws: RaftError.compacted) { try storage.entries(10, 11, maxSize: .max) }
    for index in UInt64(6)...10 {
      #expect(try engines.raftDB.get(.default, Keys.raftLogKey(1, index)) == nil)
    }
    let marker = try #require(try engines.kvDB.get(.meta, Keys.snapshotApplyingKey(1)))
    #expect(try Eraftpb_Snapshot(serializedBytes: marker) == snapshot)
    // Entries after the snapshot append normally.
    try append(Self.entries(21...22, term: 7), storage, engines.raftDB)
    #expect(try storage.entries(21, 23, maxSize: .max) == Self.entries(21...22, term: 7))
  }

  @Test func snapshotIsAskedForOnceThenServedWhileItCoversTheLog() throws {
    let engines = try Engines()
    let storage = try storageWithEntriesToTen(engines)
    var requests = 0
    storage.requestSnapshot = { requests += 1 }
    #expect(throws: RaftError.snapshotTemporarilyUnavailable) { try storage.snapshot() }
    #expect(throws: RaftError.snapshotTemporarilyUnavailable) { try storage.snapshot() }
    #expect(requests == 1)
    let generated = try Self.snapshot(index: 8, term: 6)
    storage.generation = .generated(generated, epoch: storage.region.regionEpoch)
    #expect(try storage.snapshot() == generated)
    // Once the region's membership moved on, a peer it added would refuse it: generate again.
    var moved = storage.region
    moved.regionEpoch.confVer += 1
    storage.generation = .generated(generated, epoch: moved.regionEpoch)
    #expect(throws: RaftError.snapshotTemporarilyUnavailable) { try storage.snapshot() }
    #expect(requests == 2)
    // Once the log is compacted past it, a follower would miss entries: generate again.
    storage.generation = .generated(generated, epoch: storage.region.regionEpoch)
    #expect(storage.truncate(to: Self.truncated(9, term: 6)))
    #expect(throws: RaftError.snapshotTemporarilyUnavailable) { try storage.snapshot() }
    #expect(requests == 3)
  }
}
