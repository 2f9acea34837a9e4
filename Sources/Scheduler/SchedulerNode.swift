import Foundation
import Logging
import TinyKVProto

/// One scheduler: its database, id allocator, TSO and cluster map, opened from a data
/// directory. The gRPC service and the executable are thin layers over it.
public final class SchedulerNode: Sendable {
  /// The cluster's id, made at first start and kept for good.
  public let clusterID: UInt64
  /// The cluster map and scheduling.
  public let cluster: Cluster
  /// The tunables it was opened with.
  public let config: SchedulerConfig
  let storage: MetaStorage
  let allocator: IDAllocator
  let tso: TimestampOracle
  let logger: Logger

  /// Opens (or creates) the scheduler's state under `dataDirectory`.
  /// - Throws: `SchedulerError.storage` if the folder cannot be created or written, or another
  ///   process holds the database.
  public init(
    dataDirectory: String, config: SchedulerConfig = SchedulerConfig(),
    clock: any SchedulerClock = SystemClock(), logger: Logger = Logger(label: "tinyscheduler")
  ) throws(SchedulerError) {
    let storage = try MetaStorage(path: dataDirectory)
    do {
      let clusterID: UInt64
      if let saved = try storage.loadUInt64(MetaKey.clusterID) {
        clusterID = saved
      } else {
        // PD's recipe: creation time in the high half, randomness in the low half.
        clusterID =
          UInt64(clock.wallMillis() / 1000) << 32 | UInt64(UInt32.random(in: 1...UInt32.max))
        try storage.saveUInt64(MetaKey.clusterID, clusterID)
      }
      let allocator = try IDAllocator(storage: storage, blockSize: config.idBlockSize)
      self.clusterID = clusterID
      self.allocator = allocator
      tso = try TimestampOracle(
        storage: storage, clock: clock, windowMillis: config.tsoSaveWindowMillis)
      cluster = try Cluster(
        clusterID: clusterID, config: config, storage: storage, allocator: allocator, clock: clock,
        logger: logger)
    } catch {
      storage.close()
      throw error
    }
    self.storage = storage
    self.config = config
    self.logger = logger
  }

  /// A new unique id (works before bootstrap: a store takes its id first).
  public func allocateID() throws(SchedulerError) -> UInt64 { try allocator.allocate() }

  /// Reserves `count` timestamps and returns the largest; see `TimestampOracle.next(count:)`.
  public func timestamps(count: UInt32) async throws(SchedulerError) -> Timestamp {
    try await tso.next(count: count)
  }

  /// The last timestamp handed out, without reserving one.
  public var currentTimestamp: Timestamp { tso.current }

  /// Keeps the TSO window saved ahead and runs the balance schedulers, until cancelled.
  public func runBackgroundTasks() async {
    let interval = max(10, config.scheduleIntervalMillis)
    var sinceWindow: Int64 = 0
    while !Task.isCancelled {
      do {
        try await Task.sleep(for: .milliseconds(interval))
      } catch {
        return
      }
      sinceWindow += interval
      if sinceWindow >= 200 {
        sinceWindow = 0
        do {
          try tso.extendWindow()
        } catch {
          logger.error("cannot save the TSO window: \(error)")
        }
      }
      cluster.runSchedulers()
    }
  }

  /// Closes the database; later calls that touch it fail with `storage` errors.
  public func close() { storage.close() }
}
