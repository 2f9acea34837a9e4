import Engine
import Foundation
import Storage
import TinyKVProto

@testable import Transaction

/// Bytes, written the short way: `bytes(3, 4)`.
func bytes(_ values: UInt8...) -> Data { Data(values) }

/// A `StandaloneStorage` in a fresh temporary folder with a `TransactionHandler` over it, plus
/// helpers to plant and inspect raw MVCC records. Closed and deleted when released.
final class StoreFixture {
  let directory: URL
  let storage: StandaloneStorage
  let handler: TransactionHandler<StandaloneStorage>

  init() throws {
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("txn-tests-\(UUID().uuidString)")
    storage = try StandaloneStorage(path: directory.path)
    handler = TransactionHandler(storage: storage)
  }

  deinit {
    storage.close()
    try? FileManager.default.removeItem(at: directory)
  }

  // MARK: Planting records

  func plant(_ modifications: [Modification]) async throws {
    try await storage.write(Kvrpcpb_Context(), modifications)
  }

  /// A value staged or committed by the transaction that started at `startTS`.
  func putValue(_ key: Data, startTS: UInt64, _ value: Data) async throws {
    try await plant([.put(.default, key: MvccKey.encode(key, startTS), value: value)])
  }

  /// A write record at `commitTS`.
  func putWrite(_ key: Data, commitTS: UInt64, _ kind: Write.Kind, startTS: UInt64) async throws {
    try await plant([
      .put(
        .write, key: MvccKey.encode(key, commitTS),
        value: Write(startTS: startTS, kind: kind).encoded())
    ])
  }

  /// A committed put: the value at `startTS` and its write record at `commitTS`.
  func putCommitted(_ key: Data, startTS: UInt64, commitTS: UInt64, _ value: Data) async throws {
    try await putValue(key, startTS: startTS, value)
    try await putWrite(key, commitTS: commitTS, .put, startTS: startTS)
  }

  func putLock(
    _ key: Data, primary: Data, startTS: UInt64, ttl: UInt64 = 0, kind: Lock.Kind = .put
  ) async throws {
    let lock = Lock(primary: primary, startTS: startTS, ttl: ttl, kind: kind)
    try await plant([.put(.lock, key: MvccKey.lockKey(key), value: lock.encoded())])
  }

  /// A prewritten put: the value and the lock of the transaction that started at `startTS`.
  func putPrewritten(
    _ key: Data, primary: Data, startTS: UInt64, _ value: Data, ttl: UInt64 = 0
  ) async throws {
    try await putValue(key, startTS: startTS, value)
    try await putLock(key, primary: primary, startTS: startTS, ttl: ttl)
  }

  // MARK: Inspecting

  struct Counts: Equatable, CustomStringConvertible {
    var `default`: Int
    var lock: Int
    var write: Int
    var description: String { "(default: \(self.default), lock: \(lock), write: \(write))" }
  }

  /// How many records each data column family holds.
  func counts() throws -> Counts {
    Counts(default: try count(.default), lock: try count(.lock), write: try count(.write))
  }

  private func count(_ cf: ColumnFamily) throws -> Int {
    let iterator = try storage.database.iterator(cf)
    iterator.seekToFirst()
    var count = 0
    while iterator.isValid {
      count += 1
      iterator.next()
    }
    return count
  }

  func value(_ key: Data, startTS: UInt64) throws -> Data? {
    try storage.database.get(.default, MvccKey.encode(key, startTS))
  }

  func write(_ key: Data, commitTS: UInt64) throws -> Write? {
    try storage.database.get(.write, MvccKey.encode(key, commitTS)).map { try Write(decoding: $0) }
  }

  func lock(_ key: Data) throws -> Lock? {
    try storage.database.get(.lock, MvccKey.lockKey(key)).map { try Lock(decoding: $0) }
  }

  /// A reader on the current state.
  func reader() async throws -> MvccReader<SnapshotReader> {
    MvccReader(try await storage.reader(Kvrpcpb_Context()))
  }
}

// MARK: Request builders

func getRequest(_ key: Data, at version: UInt64) -> Kvrpcpb_GetRequest {
  var request = Kvrpcpb_GetRequest()
  request.key = key
  request.version = version
  return request
}

func mutation(_ key: Data, _ op: Kvrpcpb_Op, _ value: Data = Data()) -> Kvrpcpb_Mutation {
  var mutation = Kvrpcpb_Mutation()
  mutation.key = key
  mutation.op = op
  mutation.value = value
  return mutation
}

func prewriteRequest(
  _ mutations: [Kvrpcpb_Mutation], primary: Data = bytes(1), startTS: UInt64, ttl: UInt64 = 0
) -> Kvrpcpb_PrewriteRequest {
  var request = Kvrpcpb_PrewriteRequest()
  request.mutations = mutations
  request.primaryLock = primary
  request.startVersion = startTS
  request.lockTtl = ttl
  return request
}

func commitRequest(_ keys: [Data], startTS: UInt64, commitTS: UInt64) -> Kvrpcpb_CommitRequest {
  var request = Kvrpcpb_CommitRequest()
  request.keys = keys
  request.startVersion = startTS
  request.commitVersion = commitTS
  return request
}

func rollbackRequest(_ keys: [Data], startTS: UInt64) -> Kvrpcpb_BatchRollbackRequest {
  var request = Kvrpcpb_BatchRollbackRequest()
  request.keys = keys
  request.startVersion = startTS
  return request
}

func checkTxnStatusRequest(
  primary: Data, lockTS: UInt64, currentTS: UInt64
) -> Kvrpcpb_CheckTxnStatusRequest {
  var request = Kvrpcpb_CheckTxnStatusRequest()
  request.primaryKey = primary
  request.lockTs = lockTS
  request.currentTs = currentTS
  return request
}

func resolveRequest(startTS: UInt64, commitTS: UInt64) -> Kvrpcpb_ResolveLockRequest {
  var request = Kvrpcpb_ResolveLockRequest()
  request.startVersion = startTS
  request.commitVersion = commitTS
  return request
}

func scanRequest(from startKey: Data, limit: UInt32, at version: UInt64) -> Kvrpcpb_ScanRequest {
  var request = Kvrpcpb_ScanRequest()
  request.startKey = startKey
  request.limit = limit
  request.version = version
  return request
}
