import Engine
import Foundation
import TestSupport
import Testing
import TinyKVProto

@testable import RaftStore

@Suite struct SnapshotManagerTests {
  /// A fixture's snapshot, generated, and the `MsgSnapshot` announcing it.
  static func generated() throws -> (SnapshotFixture, Eraftpb_Snapshot, RaftServerpb_RaftMessage) {
    let source = try SnapshotFixture()
    let snapshot = try source.generate()
    return (source, snapshot, SnapshotFixture.message(snapshot))
  }

  @Test func generatedSnapshotRoundTripsToAnotherStore() throws {
    let (source, snapshot, message) = try Self.generated()
    #expect(snapshot.metadata.index == 50)
    #expect(snapshot.metadata.term == 7)
    #expect(snapshot.metadata.confState.nodes == [1, 2, 3])
    let data = try RaftServerpb_RaftSnapshotData(serializedBytes: snapshot.data)
    #expect(data.meta.cfFiles.map(\.cf) == ["default", "lock", "write"])
    let directory = try TemporaryDirectory("snap-receiver")
    let receiver = try SnapshotManager(directory: directory.appending("snap"))
    try streamSnapshot(message, from: source.manager, to: receiver, chunkBytes: 700)
    let key = try #require(SnapshotKey(message: message))
    for file in data.meta.cfFiles {
      let reader = try SnapshotCFFile.Reader(path: receiver.path(.received, key, file.cf))
      var received: [Data: Data] = [:]
      while let (key, value) = try reader.next() { received[key] = value }
      #expect(received == source.data[file.cf] ?? [:], "\(file.cf)")
    }
    #expect(try SnapshotFixture.files(receiver).allSatisfy { $0.hasPrefix("rev_1_7_50_") })
  }

  @Test func corruptChunkIsRejectedAndLeavesNoFiles() throws {
    let (source, _, message) = try Self.generated()
    let directory = try TemporaryDirectory("snap-receiver")
    let receiver = try SnapshotManager(directory: directory.appending("snap"))
    let from = try source.manager.openForSending(try #require(SnapshotKey(message: message)))
    let sink = try receiver.startReceiving(message)
    #expect(throws: SnapshotError.self) {
      var first = true
      while var chunk = try from.read(maxBytes: 1000) {
        if first { chunk[chunk.startIndex + 10] ^= 0xFF }
        first = false
        try sink.write(chunk)
      }
      try sink.finish()
    }
    #expect(try SnapshotFixture.files(receiver).isEmpty)
  }

  @Test func abortedOrIncompleteTransferLeavesNoFiles() throws {
    let (source, _, message) = try Self.generated()
    let directory = try TemporaryDirectory("snap-receiver")
    let receiver = try SnapshotManager(directory: directory.appending("snap"))
    let key = try #require(SnapshotKey(message: message))
    let aborted = try receiver.startReceiving(message)
    try aborted.write(try #require(try source.manager.openForSending(key).read(maxBytes: 500)))
    aborted.abort()
    #expect(try SnapshotFixture.files(receiver).isEmpty)
    let incomplete = try receiver.startReceiving(message)
    try incomplete.write(try #require(try source.manager.openForSending(key).read(maxBytes: 500)))
    #expect(throws: SnapshotError.self) { try incomplete.finish() }
    #expect(try SnapshotFixture.files(receiver).isEmpty)
  }

  @Test func regeneratingRemovesOlderFilesAndMissingOnesFailToOpen() throws {
    let source = try SnapshotFixture()
    let old = try source.generate()
    var applyState = RaftServerpb_RaftApplyState()
    applyState.appliedIndex = 60
    applyState.truncatedState.index = 60
    applyState.truncatedState.term = 8
    let batch = try source.engines.kvDB.makeWriteBatch()
    try batch.put(.meta, Keys.applyStateKey(1), applyState.serializedData())
    try source.engines.kvDB.write(batch, sync: true)
    let new = try source.generate()
    #expect(new.metadata.index == 60)
    #expect(try SnapshotFixture.files(source.manager).allSatisfy { $0.hasPrefix("gen_1_8_60_") })
    let oldKey = SnapshotKey(regionID: 1, term: old.metadata.term, index: old.metadata.index)
    #expect(throws: (any Error).self) { try source.manager.openForSending(oldKey) }
  }
}
