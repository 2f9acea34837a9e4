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
  /// Whether the raft loop syncs its write when a `Ready` needs it. Only a simulation that
  /// crashes processes (never machines) may turn it off: an unsynced write survives a process
  /// crash in the OS's cache, but not a power loss. Production keeps it on (DESIGN.md).
  public var syncLog = true
  /// Most bytes of entries in one append message.
  public var maxSizePerMsg: UInt64 = 1 << 20

  /// The defaults (100 ms ticks, elections after 1-2 s).
  public init() {}
}
