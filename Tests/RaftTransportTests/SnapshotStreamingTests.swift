import Foundation
import RaftStore
import RaftTransport
import Randomness
import TestSupport
import Testing
import TinyKVProto

@Suite("gRPC transport: snapshots")
struct SnapshotStreamingTests {
  /// A snapshot on the sending store: its `MsgSnapshot` (region `region` to store 2), key and
  /// `bytes` pseudo-random bytes (seeded by the region), added to `files`.
  struct Outgoing {
    let message: RaftServerpb_RaftMessage
    let key: SnapshotKey
    let data: Data

    init(region: UInt64 = 1, bytes: Int, in files: FakeSnapshotFiles) throws {
      message = Messages.snapshot(region: region, to: 2, term: 6, index: 42)
      key = try #require(SnapshotKey(message: message))
      var random = SplitMix64(seed: region)
      let words = (0...(bytes / 8)).map { _ in random.next() }
      data = words.withUnsafeBytes { Data($0.prefix(bytes)) }
      files.add(key, data)
    }
  }

  /// The transport settings of these tests: fast reconnects and `chunkBytes` chunks.
  static func config(chunkBytes: Int = 1 << 20) -> GRPCTransportConfig {
    var config = GRPCTransportConfig.fast
    config.snapshotChunkBytes = chunkBytes
    return config
  }

  @Test("a multi-megabyte snapshot arrives intact, in gRPC messages no larger than a chunk")
  func arrivesInChunks() async throws {
    let receiverFiles = FakeSnapshotFiles()
    // The server refuses any message longer than a chunk and a little framing.
    let harness = try TransportHarness(
      receiverFiles: receiverFiles, maxRequestBytes: 256 << 10 + 64)
    try await harness.server.start()
    let senderFiles = FakeSnapshotFiles()
    let snapshot = try Outgoing(bytes: 5 << 20 + 123, in: senderFiles)
    try await harness.withTransport(
      config: Self.config(chunkBytes: 256 << 10), files: senderFiles
    ) { transport in
      transport.send(snapshot.message)
      try await eventually("the snapshot report") {
        harness.reports.contains(.snapshot(regionID: 1, toPeerID: 2, succeeded: true))
      }
      #expect(receiverFiles.received(snapshot.key) == snapshot.data)
      #expect(receiverFiles.largestChunk == 256 << 10)
      #expect(harness.receiver.messages.map(\.message.msgType) == [.msgSnapshot])
    }
  }

  @Test("a stream broken midway aborts the receiving sink and reports the snapshot failed")
  func brokenMidway() async throws {
    let receiverFiles = FakeSnapshotFiles()
    let harness = try TransportHarness(receiverFiles: receiverFiles)
    try await harness.server.start()
    let senderFiles = FakeSnapshotFiles(failAfterChunks: 3)
    let snapshot = try Outgoing(bytes: 1 << 20, in: senderFiles)
    try await harness.withTransport(
      config: Self.config(chunkBytes: 64 << 10), files: senderFiles
    ) { transport in
      transport.send(snapshot.message)
      try await eventually("the failure report") {
        harness.reports.contains(.snapshot(regionID: 1, toPeerID: 2, succeeded: false))
      }
      try await eventually("the sink to be aborted") { receiverFiles.aborted == 1 }
      #expect(receiverFiles.received(snapshot.key) == nil)
      #expect(harness.receiver.messages.isEmpty)
    }
  }

  @Test("a snapshot that is gone, or to a store that is down, is reported failed")
  func failsWithoutFilesOrStore() async throws {
    let harness = try TransportHarness()
    let senderFiles = FakeSnapshotFiles()
    let present = try Outgoing(region: 5, bytes: 1000, in: senderFiles)
    try await harness.withTransport(config: Self.config(), files: senderFiles) { transport in
      transport.send(present.message)
      try await eventually("the failure report for the store that is down") {
        harness.reports.contains(.snapshot(regionID: 5, toPeerID: 2, succeeded: false))
      }
      try await harness.server.start()
      transport.send(Messages.snapshot(region: 6, to: 2, term: 6, index: 42))
      try await eventually("the failure report for the missing snapshot") {
        harness.reports.contains(.snapshot(regionID: 6, toPeerID: 2, succeeded: false))
      }
      transport.send(present.message)
      try await eventually("the present snapshot, once the store is up") {
        harness.reports.contains(.snapshot(regionID: 5, toPeerID: 2, succeeded: true))
      }
    }
  }

  @Test("a snapshot the receiving store refuses is reported failed")
  func refusedByReceiver() async throws {
    let harness = try TransportHarness(receiverFiles: FakeSnapshotFiles(refusesReceiving: true))
    try await harness.server.start()
    let senderFiles = FakeSnapshotFiles()
    let snapshot = try Outgoing(bytes: 2 << 20, in: senderFiles)
    try await harness.withTransport(config: Self.config(), files: senderFiles) { transport in
      transport.send(snapshot.message)
      try await eventually("the failure report") {
        harness.reports.contains(.snapshot(regionID: 1, toPeerID: 2, succeeded: false))
      }
      #expect(harness.receiver.messages.isEmpty)
    }
  }

  @Test("a snapshot stream that stalls is given up after the timeout")
  func stalls() async throws {
    // The server refuses the first data chunk as too large, and the stream goes nowhere.
    let harness = try TransportHarness(maxRequestBytes: 64 << 10)
    try await harness.server.start()
    let senderFiles = FakeSnapshotFiles()
    let snapshot = try Outgoing(bytes: 1 << 20, in: senderFiles)
    var config = Self.config()
    config.snapshotTimeout = .milliseconds(500)
    try await harness.withTransport(config: config, files: senderFiles) { transport in
      transport.send(snapshot.message)
      try await eventually("the failure report") {
        harness.reports.contains(.snapshot(regionID: 1, toPeerID: 2, succeeded: false))
      }
    }
  }

  @Test("no more snapshots stream at once than configured; the others wait their turn")
  func boundedConcurrency() async throws {
    let receiverFiles = FakeSnapshotFiles()
    let harness = try TransportHarness(receiverFiles: receiverFiles)
    try await harness.server.start()
    let senderFiles = FakeSnapshotFiles()
    let snapshots = try (1...6).map { try Outgoing(region: $0, bytes: 1 << 20, in: senderFiles) }
    var config = Self.config(chunkBytes: 64 << 10)
    config.concurrentSnapshots = 2
    try await harness.withTransport(config: config, files: senderFiles) { transport in
      for snapshot in snapshots { transport.send(snapshot.message) }
      try await eventually("every snapshot to be sent") {
        (1...6).allSatisfy {
          harness.reports.contains(.snapshot(regionID: $0, toPeerID: 2, succeeded: true))
        }
      }
      #expect(receiverFiles.mostOpen <= 2)
      for snapshot in snapshots { #expect(receiverFiles.received(snapshot.key) == snapshot.data) }
    }
  }
}
