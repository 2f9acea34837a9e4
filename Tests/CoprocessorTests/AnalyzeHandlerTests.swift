import Coprocessor
import Foundation
import Storage
import Testing
import TinyKVProto
import TipbProto
import Transaction

/// ANALYZE through the `Coprocessor` RPC's handler, over a real store's MVCC snapshot.
struct AnalyzeHandlerTests {
  /// A `StandaloneStorage` in a fresh temporary folder, removed when released.
  final class Store {
    let directory: URL
    let storage: StandaloneStorage

    init() throws {
      directory = FileManager.default.temporaryDirectory
        .appendingPathComponent("analyze-tests-\(UUID().uuidString)")
      storage = try StandaloneStorage(path: directory.path)
    }

    deinit {
      storage.close()
      try? FileManager.default.removeItem(at: directory)
    }

    /// `value` under `key`, written by a transaction that started at `startTS` and committed
    /// at `startTS + 1`.
    func commit(_ key: [UInt8], _ value: [UInt8], startTS: UInt64) async throws {
      try await storage.write(
        Kvrpcpb_Context(),
        [
          .put(.default, key: MvccKey.encode(Data(key), startTS), value: Data(value)),
          .put(
            .write, key: MvccKey.encode(Data(key), startTS + 1),
            value: Write(startTS: startTS, kind: .put).encoded()),
        ])
    }

    /// A lock on `key` of the transaction that started at `startTS`.
    func lock(_ key: [UInt8], startTS: UInt64) async throws {
      let lock = Lock(primary: Data(key), startTS: startTS, ttl: 3000, kind: .put)
      try await storage.write(
        Kvrpcpb_Context(), [.put(.lock, key: MvccKey.lockKey(Data(key)), value: lock.encoded())])
    }
  }

  /// Entry `value` (handle `value`) of table 7's index 3.
  private func entry(_ value: Int64) -> [UInt8] {
    TableKeys.index(table: 7, index: 3, values: [.int(value), .int(value)])
  }

  /// An index ANALYZE of index 3 over all its entries, at `startTs`.
  private func request(startTs: UInt64, fallback: UInt64 = 0) throws -> Coprocessor_Request {
    var index = Tipb_AnalyzeIndexReq()
    index.bucketSize = 256
    index.numColumns = 1
    var analyze = Tipb_AnalyzeReq()
    analyze.tp = .typeIndex
    analyze.idxReq = index
    analyze.startTsFallback = fallback
    var range = Coprocessor_KeyRange()
    range.start = Data(TableKeys.index(table: 7, index: 3, values: []))
    range.end = Data(TableKeys.index(table: 7, index: 4, values: []))
    var request = Coprocessor_Request()
    request.tp = CoprocessorHandler<StandaloneStorage>.analyzeRequestType
    request.data = try analyze.serializedData()
    request.startTs = startTs
    request.ranges = [range]
    return request
  }

  @Test("ANALYZE reads the snapshot at start_ts, or at start_ts_fallback when start_ts is 0")
  func snapshot() async throws {
    let store = try Store()
    try await store.commit(entry(1), [0x30], startTS: 10)
    try await store.commit(entry(2), [0x30], startTS: 10)
    try await store.commit(entry(3), [0x30], startTS: 30)
    let handler = CoprocessorHandler(storage: store.storage)

    let early = try await handler.handle(try request(startTs: 20))
    #expect(early.otherError.isEmpty && !early.hasLocked)
    let earlyHistogram = try Tipb_AnalyzeIndexResp(serializedBytes: early.data).hist
    #expect(earlyHistogram.buckets.map(\.count) == [1, 2])

    let late = try await handler.handle(try request(startTs: 0, fallback: 40))
    let lateHistogram = try Tipb_AnalyzeIndexResp(serializedBytes: late.data).hist
    #expect(lateHistogram.buckets.map(\.count) == [1, 2, 3])
    #expect(lateHistogram.ndv == 3)
  }

  @Test("an ANALYZE request that does not decode or is malformed answers other_error")
  func otherError() async throws {
    let store = try Store()
    let handler = CoprocessorHandler(storage: store.storage)
    var garbage = try request(startTs: 20)
    garbage.data = Data([0xFF])
    let undecodable = try await handler.handle(garbage)
    #expect(undecodable.otherError.contains("the ANALYZE request does not decode"))
    #expect(undecodable.data.isEmpty)

    var malformed = try request(startTs: 20)
    var analyze = Tipb_AnalyzeReq()
    analyze.tp = .typeColumn
    malformed.data = try analyze.serializedData()
    let refused = try await handler.handle(malformed)
    #expect(refused.otherError.contains("without col_req"))
  }

  @Test("a lock in ANALYZE's snapshot answers locked")
  func locked() async throws {
    let store = try Store()
    try await store.commit(entry(1), [0x30], startTS: 10)
    try await store.lock(entry(2), startTS: 15)
    let handler = CoprocessorHandler(storage: store.storage)
    let response = try await handler.handle(try request(startTs: 20))
    #expect(response.hasLocked)
    #expect(response.locked.lockVersion == 15)
    #expect(response.locked.key == Data(entry(2)))
    #expect(response.otherError.isEmpty && response.data.isEmpty)
    // Below the lock's start the lock is not in the way.
    let before = try await handler.handle(try request(startTs: 12))
    #expect(!before.hasLocked)
    #expect(try Tipb_AnalyzeIndexResp(serializedBytes: before.data).hist.ndv == 1)
  }
}
