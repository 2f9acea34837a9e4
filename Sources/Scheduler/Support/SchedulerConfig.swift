/// Tunables of the scheduler. The defaults follow TinyKV's scheduler where it has one.
public struct SchedulerConfig: Sendable, Equatable {
  /// Replicas per region for a new cluster (the cluster config can change it later).
  public var maxReplicas: UInt32 = 3
  /// A store silent for this long is down: no new peers go there and its peers are replaced.
  public var storeDownMillis: Int64 = 30 * 60 * 1000
  /// How often balance schedulers run.
  public var scheduleIntervalMillis: Int64 = 100
  /// An operator that moves peers is cancelled after this long.
  public var regionOperatorTimeoutMillis: Int64 = 10 * 60 * 1000
  /// An operator that only transfers leaders is cancelled after this long.
  public var leaderOperatorTimeoutMillis: Int64 = 10 * 1000
  /// At most this many peer-moving operators from balance-region run at once.
  public var regionScheduleLimit = 4
  /// At most this many leader transfers from balance-leader run at once.
  public var leaderScheduleLimit = 4
  /// At most this many operators from the replica checker run at once.
  public var replicaScheduleLimit = 64
  /// Whether balance-region runs.
  public var balanceRegion = true
  /// Whether balance-leader runs.
  public var balanceLeader = true
  /// How far ahead of the clock the TSO's saved limit is kept.
  public var tsoSaveWindowMillis: Int64 = 3000
  /// Ids reserved (and saved) at a time.
  public var idBlockSize: UInt64 = 1000
  /// Seed for the schedulers' random choices.
  public var seed: UInt64 = 0x5EED

  /// The defaults.
  public init() {}
}
