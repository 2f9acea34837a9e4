import Scheduler

extension PDService {
  /// How long a key lookup waits for a hole in the region map to close.
  ///
  /// A split leaves the split-off range without a region in the map until the new region's
  /// leader is elected and heartbeats (0.2-1.3 s measured on a loaded 2-core machine; TiKV's
  /// stores report within milliseconds). client-rust retries a missing region for only about a
  /// second, so the lookup waits the hole out here instead of answering REGION_NOT_FOUND.
  static let splitGapWait: Duration = .seconds(2)

  /// `lookup()`'s region; while it finds none although the map holds regions (a hole left by a
  /// split), it retries every 20 ms for up to `splitGapWait`.
  func regionWaitingOutSplitGap(
    _ lookup: () throws(SchedulerError) -> RegionInfo?
  ) async throws(SchedulerError) -> RegionInfo? {
    let deadline = ContinuousClock.now + Self.splitGapWait
    while true {
      if let region = try lookup() { return region }
      guard node.cluster.regionCount > 0, ContinuousClock.now < deadline else { return nil }
      try? await Task.sleep(for: .milliseconds(20))
    }
  }
}
