import Engine
import Foundation
import Storage
import TinyKVProto

/// The fake cluster's shared storage as one region sees it: the one engine, its iterators
/// clipped to the region's range (region space, as a raft store's `RegionReader` clips them), so
/// a push-down request reads only its region's part of its ranges.
struct RegionScopedStorage: Storage {
  let base: StandaloneStorage
  let store: FakeStore

  func write(_ context: Kvrpcpb_Context, _ modifications: [Modification]) async throws {
    try await base.write(context, modifications)
  }

  func reader(_ context: Kvrpcpb_Context) async throws -> Reader {
    let region = store.state.withLock { $0.replicas[context.regionID]?.region } ?? Metapb_Region()
    return Reader(base: try await base.reader(context), region: region)
  }

  struct Reader: StorageReader {
    let base: SnapshotReader
    let region: Metapb_Region

    func get(_ cf: ColumnFamily, _ key: Data) throws -> Data? { try base.get(cf, key) }

    func iterator(_ cf: ColumnFamily, bounds: KeyBounds) throws -> DBIterator {
      var bounds = bounds
      let start = region.startKey
      if !start.isEmpty, bounds.lower.map({ $0.lexicographicallyPrecedes(start) }) ?? true {
        bounds.lower = start
      }
      let end = region.endKey
      if !end.isEmpty, bounds.upper.map({ end.lexicographicallyPrecedes($0) }) ?? true {
        bounds.upper = end
      }
      return try base.iterator(cf, bounds: bounds)
    }
  }
}
