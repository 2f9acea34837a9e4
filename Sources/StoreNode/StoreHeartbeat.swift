import Client
import Foundation
import Logging

/// Sends a store heartbeat (statistics, and that the store is alive) every `interval` until
/// the task is cancelled. A failed heartbeat is logged and the next one tried on time: the
/// scheduler marks a store down only after missing heartbeats for much longer.
public struct StoreHeartbeat: Sendable {
  /// The scheduler.
  public let scheduler: SchedulerClient
  /// What to report.
  public let collector: StoreStatsCollector
  /// Time between heartbeats (TinyKV: 10 s).
  public let interval: Duration
  /// Where failures are reported.
  public let logger: Logger

  /// A heartbeat of `collector`'s store to `scheduler` every `interval`.
  public init(
    scheduler: SchedulerClient, collector: StoreStatsCollector, interval: Duration,
    logger: Logger
  ) {
    self.scheduler = scheduler
    self.collector = collector
    self.interval = interval
    self.logger = logger
  }

  /// Runs until cancelled; the first heartbeat goes out at once.
  public func run() async {
    var last = UInt64(Date().timeIntervalSince1970)
    var failing = false
    while !Task.isCancelled {
      let now = UInt64(Date().timeIntervalSince1970)
      do {
        try await scheduler.storeHeartbeat(collector.collect(intervalStart: last, end: now))
        if failing { logger.info("store heartbeats reach the scheduler again") }
        failing = false
        last = now
      } catch {
        if !failing { logger.warning("store heartbeat failed: \(error)") }
        failing = true
      }
      try? await Task.sleep(for: interval)
    }
  }
}
