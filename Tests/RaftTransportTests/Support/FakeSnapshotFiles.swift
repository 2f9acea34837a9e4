import Foundation
import RaftStore
import Synchronization
import TinyKVProto

/// Snapshot files in memory: snapshots to send are put in by the test; received ones are
/// kept whole once finished (and checked against an expected size, if the test gave one).
/// Records the largest chunk written, how many receptions were aborted, and the most that
/// were open at once.
final class FakeSnapshotFiles: SnapshotFiles {
  private struct State {
    var outgoing: [SnapshotKey: Data] = [:]
    var received: [SnapshotKey: Data] = [:]
    var expectedSizes: [SnapshotKey: Int] = [:]
    var largestChunk = 0
    var aborted = 0
    var open = 0
    var mostOpen = 0
  }
  private let state = Mutex(State())
  /// A sending source fails after handing out this many chunks (to break a stream midway).
  let failAfterChunks: Int?
  /// Whether receiving refuses every snapshot (as a store out of disk space would).
  let refusesReceiving: Bool

  init(failAfterChunks: Int? = nil, refusesReceiving: Bool = false) {
    self.failAfterChunks = failAfterChunks
    self.refusesReceiving = refusesReceiving
  }

  /// Makes `data` the snapshot `key` to send.
  func add(_ key: SnapshotKey, _ data: Data) {
    state.withLock { $0.outgoing[key] = data }
  }

  /// Makes receiving `key` fail at `finish` unless exactly `size` bytes arrived.
  func expect(_ key: SnapshotKey, size: Int) {
    state.withLock { $0.expectedSizes[key] = size }
  }

  func received(_ key: SnapshotKey) -> Data? { state.withLock { $0.received[key] } }
  var largestChunk: Int { state.withLock { $0.largestChunk } }
  var aborted: Int { state.withLock { $0.aborted } }
  var mostOpen: Int { state.withLock { $0.mostOpen } }

  func openForSending(_ key: SnapshotKey) throws -> any SnapshotSource {
    guard let data = state.withLock({ $0.outgoing[key] }) else {
      throw TestSnapshotError("no snapshot \(key)")
    }
    return Source(data: data, failAfterChunks: failAfterChunks)
  }

  func startReceiving(_ message: RaftServerpb_RaftMessage) throws -> any SnapshotSink {
    guard let key = SnapshotKey(message: message), !refusesReceiving else {
      throw TestSnapshotError("cannot receive")
    }
    state.withLock { state in
      state.open += 1
      state.mostOpen = max(state.mostOpen, state.open)
    }
    return Sink(key: key, files: self)
  }

  fileprivate func wrote(_ chunk: Data) {
    state.withLock { $0.largestChunk = max($0.largestChunk, chunk.count) }
  }

  fileprivate func finish(_ key: SnapshotKey, _ data: Data) throws {
    try state.withLock { state in
      state.open -= 1
      if let size = state.expectedSizes[key], size != data.count {
        throw TestSnapshotError("snapshot \(key): \(data.count) of \(size) bytes")
      }
      state.received[key] = data
    }
  }

  fileprivate func abort() {
    state.withLock { state in
      state.aborted += 1
      state.open -= 1
    }
  }

  private final class Source: SnapshotSource {
    let data: Data
    let failAfterChunks: Int?
    private var offset = 0
    private var chunks = 0

    init(data: Data, failAfterChunks: Int?) {
      self.data = data
      self.failAfterChunks = failAfterChunks
    }

    var size: UInt64 { UInt64(data.count) }

    func read(maxBytes: Int) throws -> Data? {
      if let failAfterChunks, chunks == failAfterChunks {
        throw TestSnapshotError("disk failed")
      }
      guard offset < data.count else { return nil }
      let end = min(offset + maxBytes, data.count)
      defer {
        offset = end
        chunks += 1
      }
      return data.subdata(in: offset..<end)
    }
  }

  private final class Sink: SnapshotSink {
    let key: SnapshotKey
    let files: FakeSnapshotFiles
    private var data = Data()

    init(key: SnapshotKey, files: FakeSnapshotFiles) {
      self.key = key
      self.files = files
    }

    func write(_ chunk: Data) throws {
      files.wrote(chunk)
      data.append(chunk)
    }

    func finish() throws { try files.finish(key, data) }

    func abort() { files.abort() }
  }
}

struct TestSnapshotError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
