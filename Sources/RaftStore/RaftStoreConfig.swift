import Engine
import Foundation

/// Tunables of a raft store.
public struct RaftStoreConfig: Sendable {
  /// How often the store's timer ticks every region.
  public var tickInterval: Duration = .milliseconds(100)
  /// Ticks without a leader before a follower campaigns (randomized up to twice this).
  public var electionTick = 10
  /// Ticks between a leader's heartbeats.
  public var heartbeatTick = 2
  /// Campaign with a pre-vote first, so a rejoining node does not disrupt the group.
  public var preVote = true
  /// A leader that loses its quorum steps down within an election timeout.
  public var checkQuorum = true
  /// How long a quorum's acknowledgement lets a leader serve linearizable reads without a Raft
  /// round (TiKV's `raft-store-max-leader-lease`; ``LocalReader`` says why it is safe). Nil
  /// (the default) takes 80% of ``leaseLimit``; `.zero` turns lease reads off; a longer value
  /// is cut to the limit. Off without ``checkQuorum``, which the lease rests on.
  public var leaderLease: Duration?
  /// Whether the raft loop syncs its write when a `Ready` needs it. Only a simulation that
  /// crashes processes (never machines) may turn it off: an unsynced write survives a process
  /// crash in the OS's cache, but not a power loss. Production keeps it on (DESIGN.md).
  public var syncLog = true
  /// Most bytes of entries in one append message.
  public var maxSizePerMsg: UInt64 = 1 << 20

  /// Ticks between two checks of the leader for a log worth compacting (TinyKV's
  /// `RaftLogGcTickInterval`).
  public var raftLogGCTickInterval = 30
  /// The fewest entries worth a `CompactLog` that every follower already holds (TinyKV's
  /// `RaftLogGcThreshold`): below this, compacting is not worth a proposal.
  public var raftLogGCThreshold: UInt64 = 50
  /// Entries past which the leader compacts up to its applied index even if a follower lags
  /// behind (that follower then needs a snapshot) (TinyKV's `RaftLogGcCountLimit`).
  public var raftLogGCCountLimit: UInt64 = 20_000
  /// Approximate bytes of log past which the leader compacts up to its applied index, as for
  /// ``raftLogGCCountLimit`` (TinyKV's `RaftLogGcSizeLimit`).
  public var raftLogGCSizeLimit: UInt64 = 64 << 20
  /// Most bytes of a region's newest log entries kept in memory for the leader's appends.
  public var entryCacheBytes = 1 << 20
  /// Called after each batch of a snapshot's data is written while applying it, with the
  /// number of batches written so far; a throw there stops the apply as a crash would. Tests
  /// use it to crash in the middle of an apply; production leaves it nil.
  public var snapshotApplyHook: (@Sendable (_ batchesWritten: Int) throws -> Void)?
  /// Most bytes of snapshot data in one kv write batch while applying a snapshot.
  public var snapshotApplyBatchBytes = 4 << 20

  /// Ticks between a leader's region heartbeats to the scheduler (TinyKV's
  /// `SchedulerHeartbeatTickInterval`); a newly elected leader sends one at its first tick.
  public var regionHeartbeatTicks = 20

  /// Ticks between a leader's checks of whether its region should split (TinyKV's
  /// `SplitRegionCheckTickInterval`: 10 s).
  public var splitCheckTicks = 100
  /// When a region splits, and where.
  public var splitThresholds = SplitThresholds()
  /// Bytes written to a region since its last split check before it is checked again (TiKV's
  /// `region_split_check_diff`); the first check after start runs regardless.
  public var splitCheckDiff: UInt64 = 6 << 20
  /// Maps a key a split check chose (and its column family) to the split key, so that what must
  /// stay in one region does (the transaction layer keeps a user key's versions together:
  /// `MvccKey.splitKey(for:in:)`). The identity by default.
  public var splitKeyAlignment: @Sendable (Data, ColumnFamily) -> Data = { key, _ in key }

  /// The defaults (100 ms ticks, elections after 1-2 s, leases of 720 ms).
  public init() {}

  /// The longest safe lease: a voter that heard from its leader refuses votes for an election
  /// timeout of its own ticks, which can be as short as `electionTick - 1` tick intervals (its
  /// first tick may come right after the message).
  public var leaseLimit: Duration { tickInterval * (electionTick - 1) }

  /// The lease leaders hold, from ``leaderLease``: nil when lease reads are off.
  public var effectiveLeaderLease: Duration? {
    guard checkQuorum, electionTick > 1 else { return nil }
    let lease = min(leaderLease ?? leaseLimit * 0.8, leaseLimit)
    return lease > .zero ? lease : nil
  }
}
