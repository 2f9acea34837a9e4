import Engine
import Foundation
import RaftStore
import Storage
import TinyKVProto

/// The fake cluster's shared storage as one region sees it: the one engine read through a raft
/// store's `RegionReader`, which keeps iterators inside the region's range, so a push-down
/// request reads only its region's part of its ranges.
struct RegionScopedStorage: Storage {
  let base: StandaloneStorage
  let store: FakeStore

  func write(_ context: Kvrpcpb_Context, _ modifications: [Modification]) async throws {
    try await base.write(context, modifications)
  }

  func reader(_ context: Kvrpcpb_Context) async throws -> RegionReader {
    let region = store.state.withLock { $0.replicas[context.regionID]?.region } ?? Metapb_Region()
    return RegionReader(snapshot: try await base.reader(context).snapshot, region: region)
  }
}
