import Client
import RaftStore
import TinyKVProto

/// Split ids from the scheduler's `AskSplit`, which allocates them from the cluster's ids.
public struct SchedulerSplitIDs: SplitIDAllocator {
  /// The scheduler.
  public let scheduler: SchedulerClient

  /// An allocator asking `scheduler`.
  public init(scheduler: SchedulerClient) { self.scheduler = scheduler }

  public func splitIDs(for region: Metapb_Region) async throws -> SplitIDs {
    let (regionID, peerIDs) = try await scheduler.askSplit(region)
    return SplitIDs(regionID: regionID, peerIDs: peerIDs)
  }
}
