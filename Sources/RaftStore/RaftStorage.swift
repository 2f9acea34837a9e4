import Engine
import Foundation
import Storage
import TinyKVProto

/// A `Storage` replicated by Raft: writes are proposed to the region's group and complete when
/// applied on this store; reads are linearizable (ReadIndex, served from a kv snapshot taken
/// after the read index is applied). Only the region's leader serves; other peers answer
/// `NotLeader` with the leader when known.
///
/// A command waits at most ``timeout`` for its answer, and no longer than the calling task
/// lives (an RPC whose deadline passed is cancelled): then it fails with
/// `RaftStoreError.timeout` or `.cancelled`, and a write's outcome is unknown.
public struct RaftStorage: Storage {
  /// The store commands go to.
  public let store: RaftStore
  /// How long a command waits for the store's answer.
  public let timeout: Duration

  /// A storage over `store` (which must be started) whose commands wait at most `timeout`.
  public init(store: RaftStore, timeout: Duration = .seconds(10)) {
    self.store = store
    self.timeout = timeout
  }

  /// - Throws: as `Storage.write`; `RegionError` with `UndeterminedResult` when the write may or
  ///   may not take effect (no answer within ``timeout``, the wait cancelled, the store stopped).
  public func write(_ context: Kvrpcpb_Context, _ modifications: [Modification]) async throws {
    do {
      try await waitForCallback(
        timeout: timeout, deadlines: store.deadlines, what: "a write to region \(context.regionID)"
      ) {
        callback in
        let command = WriteCommand(
          context: context, modifications: modifications, callback: callback)
        store.send(.write(command), regionID: context.regionID)
      }
    } catch {
      throw Self.outcome(of: error)
    }
  }

  /// Hands the write to the store's raft loop on the caller's thread; `completion` runs on the
  /// apply loop's thread (or the store's timer at ``timeout``), with the failures of
  /// ``write(_:_:)``.
  public func write(
    _ context: Kvrpcpb_Context, _ modifications: [Modification],
    completion: @escaping @Sendable (Result<Void, any Error>) -> Void
  ) {
    let regionID = context.regionID
    let callback = callbackWithin(timeout: timeout, deadlines: store.deadlines) {
      "a write to region \(regionID)"
    } completion: { (result: Result<Void, any Error>) in
      completion(result.mapError(Self.outcome(of:)))
    }
    let command = WriteCommand(context: context, modifications: modifications, callback: callback)
    store.send(.write(command), regionID: regionID)
  }

  /// A write's failure as its caller hears it: one that may or may not have taken effect (no
  /// answer in time, the wait cancelled, the store stopped) is `UndeterminedResult`.
  private static func outcome(of error: any Error) -> any Error {
    guard let error = error as? RaftStoreError,
      [.timeout, .cancelled, .stopped].contains(error.code)
    else { return error }
    return RegionError.undetermined(error.message)
  }

  /// Served at once from the kv engine while this store's leader holds its lease
  /// (``LocalReader``), otherwise after a ReadIndex round.
  public func reader(_ context: Kvrpcpb_Context) async throws -> RegionReader {
    if let local = store.localReader.read(context) {
      if local.renew { store.send(.renewLease, regionID: context.regionID) }
      return RegionReader(snapshot: try store.kvDB.snapshot(), region: local.region)
    }
    let (snapshot, region) = try await waitForCallback(
      timeout: timeout, deadlines: store.deadlines, what: "a read of region \(context.regionID)"
    ) { callback in
      store.send(.read(context, callback), regionID: context.regionID)
    }
    return RegionReader(snapshot: snapshot, region: region)
  }
}

/// Reads one region's data from a kv snapshot: iterators stay within the region's range.
public struct RegionReader: StorageReader {
  /// The snapshot, taken at or after the read index.
  public let snapshot: Snapshot
  /// The region read.
  public let region: Metapb_Region

  /// A reader of `region`'s part of `snapshot`.
  public init(snapshot: Snapshot, region: Metapb_Region) {
    self.snapshot = snapshot
    self.region = region
  }

  /// - Throws: `RegionError` `KeyNotInRegion` for a key outside the region (the request's
  ///   epoch matched, so its client routed a key here that the region does not hold), as the
  ///   leader checks a write's keys.
  public func get(_ cf: ColumnFamily, _ key: Data) throws -> Data? {
    guard region.contains(key) else { throw RegionError.keyNotInRegion(key, region) }
    return try snapshot.get(cf, key)
  }

  public func iterator(_ cf: ColumnFamily, bounds: KeyBounds) throws -> DBIterator {
    var bounds = bounds
    if let lower = bounds.lower, !lower.lexicographicallyPrecedes(region.startKey) {
      bounds.lower = lower
    } else {
      bounds.lower = region.startKey.isEmpty ? bounds.lower : region.startKey
    }
    if !region.endKey.isEmpty {
      if let upper = bounds.upper, upper.lexicographicallyPrecedes(region.endKey) {
        bounds.upper = upper
      } else {
        bounds.upper = region.endKey
      }
    }
    return try snapshot.iterator(cf, bounds: bounds)
  }
}
