import Foundation
import Storage
import TinyKVProto

/// Serves the transactional RPCs (Percolator) over any `Storage`: TinyKV's seven, with TiKV's
/// extra request fields, and TiKV's further commands (`+TiKV.swift`).
///
/// Reads run on a fresh snapshot without latches. Writes take the latches of their keys, read a
/// snapshot taken after the latches are held, compute their changes and write them atomically
/// before releasing the latches, so commands touching a common key run one after the other.
///
/// A `RegionError` thrown by the storage is returned in the response's `region_error`. Other
/// errors are thrown: `TransactionError` (a corrupt record, a malformed request) and the
/// storage's own I/O errors; the gRPC layer turns them into a status.
public final class TransactionHandler<S: Storage>: Sendable {
  public let storage: S
  let latches = Latches()

  public init(storage: S) {
    self.storage = storage
  }

  /// KvGet.
  public func get(_ request: Kvrpcpb_GetRequest) async throws -> Kvrpcpb_GetResponse {
    try await read(Get(request: request))
  }

  /// KvScan.
  public func scan(_ request: Kvrpcpb_ScanRequest) async throws -> Kvrpcpb_ScanResponse {
    try await read(Scan(request: request))
  }

  /// KvPrewrite.
  public func prewrite(_ request: Kvrpcpb_PrewriteRequest) async throws -> Kvrpcpb_PrewriteResponse
  {
    try await write(Prewrite(request: request))
  }

  /// KvCommit.
  public func commit(_ request: Kvrpcpb_CommitRequest) async throws -> Kvrpcpb_CommitResponse {
    try await write(Commit(request: request))
  }

  /// KvCheckTxnStatus.
  public func checkTxnStatus(
    _ request: Kvrpcpb_CheckTxnStatusRequest
  ) async throws -> Kvrpcpb_CheckTxnStatusResponse {
    try await write(CheckTxnStatus(request: request))
  }

  /// KvBatchRollback.
  public func batchRollback(
    _ request: Kvrpcpb_BatchRollbackRequest
  ) async throws -> Kvrpcpb_BatchRollbackResponse {
    try await write(BatchRollback(request: request))
  }

  /// KvResolveLock.
  public func resolveLock(
    _ request: Kvrpcpb_ResolveLockRequest
  ) async throws -> Kvrpcpb_ResolveLockResponse {
    try await passingRegionErrors {
      let reader = MvccReader(try await storage.reader(request.context))
      let keys = try ResolveLock.lockedKeys(reader, request)
      return try await runWrite(ResolveLock(request: request, keys: keys))
    }
  }

  func read<C: ReadCommand>(_ command: C) async throws -> C.Response {
    try await passingRegionErrors {
      try command.execute(MvccReader(try await storage.reader(command.context)))
    }
  }

  func write<C: WriteCommand>(_ command: C) async throws -> C.Response {
    try await passingRegionErrors { try await runWrite(command) }
  }

  private func runWrite<C: WriteCommand>(_ command: C) async throws -> C.Response {
    let keys = command.keysToLatch
    return try await latches.withLatches(keys) {
      let reader = MvccReader(try await storage.reader(command.context))
      let output = try command.execute(reader)
      assert(
        Self.latched(output.modifications, by: keys),
        "\(C.self) writes a key it has not latched")
      if !output.modifications.isEmpty {
        try await storage.write(command.context, output.modifications)
      }
      return output.response
    }
  }

  private func passingRegionErrors<Response: RegionErrorResponse>(
    _ body: () async throws -> Response
  ) async throws -> Response {
    do {
      return try await body()
    } catch let error as RegionError {
      var response = Response()
      response.regionError = error.error
      return response
    }
  }

  /// Whether every modification touches a key in `keys` (a debug check of the latching rule).
  static func latched(_ modifications: [Modification], by keys: [Data]) -> Bool {
    let latched = Set(keys)
    return modifications.allSatisfy { modification in
      let userKey: Data? =
        modification.columnFamily == .lock
        ? try? Memcomparable.decode(modification.key)
        : try? MvccKey.decode(modification.key).userKey
      return userKey.map(latched.contains) ?? false
    }
  }
}
