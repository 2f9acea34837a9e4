import Engine
import Foundation
import Storage
import TinyKVProto

/// A `Storage` replicated by Raft: writes are proposed to the region's group and complete when
/// applied on this store; reads are linearizable (ReadIndex, served from a kv snapshot taken
/// after the read index is applied). Only the region's leader serves; other peers answer
/// `NotLeader` with the leader when known.
public struct RaftStorage: Storage {
  /// The store commands go to.
  public let store: RaftStore

  /// A storage over `store` (which must be started).
  public init(store: RaftStore) { self.store = store }

  public func write(_ context: Kvrpcpb_Context, _ modifications: [Modification]) async throws {
    try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<Void, any Error>) in
      let command = WriteCommand(
        context: context, modifications: modifications,
        callback: { continuation.resume(with: $0) })
      store.send(.write(command), regionID: context.regionID)
    }
  }

  public func reader(_ context: Kvrpcpb_Context) async throws -> RegionReader {
    let (snapshot, region) = try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<(Snapshot, Metapb_Region), any Error>) in
      store.send(.read(context, { continuation.resume(with: $0) }), regionID: context.regionID)
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

  public func get(_ cf: ColumnFamily, _ key: Data) throws -> Data? {
    try snapshot.get(cf, key)
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
