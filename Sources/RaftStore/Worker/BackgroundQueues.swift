/// Work the raft loop hands off so it never blocks on it: range-deleting compacted log entries,
/// generating a snapshot, checking a region for a split.
package typealias BackgroundJob = @Sendable () -> Void

/// Where a store runs its ``BackgroundJob``s: one queue for log GC, one for snapshot
/// generation, one for split checks, so a long generation or scan never delays a GC. Production runs each on a `Worker`
/// thread; a simulation runs them when its seed says so.
package struct BackgroundQueues: Sendable {
  /// Deletes compacted raft-log entries.
  package var logGC: @Sendable (@escaping BackgroundJob) -> Void
  /// Generates snapshots.
  package var snapshotGeneration: @Sendable (@escaping BackgroundJob) -> Void
  /// Scans regions for split keys.
  package var splitCheck: @Sendable (@escaping BackgroundJob) -> Void

  /// Queues from closures (split checks run on the snapshot queue unless given their own).
  package init(
    logGC: @escaping @Sendable (@escaping BackgroundJob) -> Void,
    snapshotGeneration: @escaping @Sendable (@escaping BackgroundJob) -> Void,
    splitCheck: (@Sendable (@escaping BackgroundJob) -> Void)? = nil
  ) {
    self.logGC = logGC
    self.snapshotGeneration = snapshotGeneration
    self.splitCheck = splitCheck ?? snapshotGeneration
  }
}

extension Worker where Item == BackgroundJob {
  /// A worker thread `name` running each job in turn.
  package convenience init(jobsNamed name: String) {
    self.init(name: name) { take in
      while let jobs = take() { for job in jobs { job() } }
    }
  }
}
