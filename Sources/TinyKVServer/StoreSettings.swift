import ConfigFile
import Engine
import RaftStore
import RaftTransport
import Transaction

/// Everything `tinykv-server` is configured with: flags override the TOML file (`--config`),
/// which overrides the defaults.
///
/// ```toml
/// addr = "127.0.0.1:20160"        # gRPC address (host:port)
/// path = "tinykv-data"            # data folder
/// scheduler = "127.0.0.1:2379"    # tinyscheduler-server (cluster mode)
/// log-level = "info"
/// max-request-bytes = "16MiB"
/// status-addr = "127.0.0.1:20180"  # HTTP /metrics and /health; "" turns it off
/// advertise-addr = ""             # the address other stores and clients use (default: addr)
///
/// [raftstore]                     # cluster mode
/// raft-base-tick-interval = "100ms"
/// raft-election-timeout-ticks = 10
/// raft-heartbeat-ticks = 2
/// raft-store-max-leader-lease = "720ms"  # lease reads; "0s" off; at most (election ticks - 1) ticks
/// raft-log-gc-tick-interval = 30  # ticks
/// raft-log-gc-threshold = 50      # entries
/// raft-log-gc-count-limit = 20000 # entries
/// raft-log-gc-size-limit = "64MiB"
/// region-heartbeat-ticks = 20
/// split-region-check-tick-interval = 100  # ticks
/// region-max-size = "144MiB"
/// region-split-size = "96MiB"
/// region-max-keys = 1440000
/// region-split-keys = 960000
/// region-split-check-diff = "6MiB"
/// store-heartbeat-interval = "10s"
/// snapshot-chunk-size = "1MiB"
/// command-timeout = "10s"
///
/// [rocksdb]
/// block-cache-size = "64MiB"
/// write-buffer-size = "32MiB"
/// background-threads = 2
/// ```
struct StoreSettings {
  var addr = "127.0.0.1:20160"
  var path = "tinykv-data"
  var scheduler = "127.0.0.1:2379"
  var logLevel = "info"
  var maxRequestBytes = 16 << 20
  var statusAddr = "127.0.0.1:20180"
  var advertiseAddr = ""
  var rocksdb = DatabaseOptions()
  /// Split keys keep a user key's versions in one region (transactional data shares the
  /// engine with raw data, whose keys the alignment leaves as they are).
  var raftstore: RaftStoreConfig = {
    var config = RaftStoreConfig()
    config.splitKeyAlignment = { MvccKey.splitKey(for: $0, in: $1) }
    return config
  }()
  var transport = GRPCTransportConfig()
  var storeHeartbeatInterval: Duration = .seconds(10)
  var commandTimeout: Duration = .seconds(10)

  /// The address other stores and clients reach this one at.
  var advertisedAddress: String { advertiseAddr.isEmpty ? addr : advertiseAddr }

  /// Reads the file at `path` over the current values.
  /// - Throws: `ConfigError` for an unreadable file, a value of the wrong kind or range, or
  ///   an unknown setting.
  mutating func load(tomlFile path: String) throws {
    let file = try ConfigTable(contentsOf: path)
    if let value = try file.string("addr") { addr = value }
    if let value = try file.string("path") { self.path = value }
    if let value = try file.string("scheduler") { scheduler = value }
    if let value = try file.string("log-level") { logLevel = value }
    if let value = try file.bytes("max-request-bytes") { maxRequestBytes = value }
    if let value = try file.string("status-addr") { statusAddr = value }
    if let value = try file.string("advertise-addr") { advertiseAddr = value }
    if let table = try file.table("raftstore") { try load(raftstore: table) }
    if let table = try file.table("rocksdb") {
      if let value = try table.bytes("block-cache-size") { rocksdb.blockCacheBytes = value }
      if let value = try table.bytes("write-buffer-size") { rocksdb.writeBufferBytes = value }
      if let value = try table.int("background-threads") {
        guard (1...64).contains(value) else {
          throw ConfigError("rocksdb.background-threads must be 1...64")
        }
        rocksdb.backgroundThreads = value
      }
    }
    try file.rejectUnknownKeys()
  }

  private mutating func load(raftstore table: ConfigTable) throws {
    func positive(_ key: String) throws -> Int? {
      guard let value = try table.int(key) else { return nil }
      guard value > 0 else { throw ConfigError("raftstore.\(key) must be positive") }
      return value
    }
    if let value = try table.duration("raft-base-tick-interval") {
      guard value > .zero else {
        throw ConfigError("raftstore.raft-base-tick-interval must be positive")
      }
      raftstore.tickInterval = value
    }
    if let value = try positive("raft-election-timeout-ticks") { raftstore.electionTick = value }
    if let value = try positive("raft-heartbeat-ticks") { raftstore.heartbeatTick = value }
    guard raftstore.heartbeatTick < raftstore.electionTick else {
      throw ConfigError("raftstore.raft-heartbeat-ticks must be below raft-election-timeout-ticks")
    }
    if let value = try table.duration("raft-store-max-leader-lease") {
      guard value <= raftstore.leaseLimit else {
        throw ConfigError(
          "raftstore.raft-store-max-leader-lease must be at most \(raftstore.leaseLimit) "
            + "(raft-election-timeout-ticks - 1 ticks): a longer lease could outlive the "
            + "leadership it rests on")
      }
      raftstore.leaderLease = value
    }
    if let value = try positive("raft-log-gc-tick-interval") {
      raftstore.raftLogGCTickInterval = value
    }
    if let value = try positive("raft-log-gc-threshold") {
      raftstore.raftLogGCThreshold = UInt64(value)
    }
    if let value = try positive("raft-log-gc-count-limit") {
      raftstore.raftLogGCCountLimit = UInt64(value)
    }
    if let value = try table.bytes("raft-log-gc-size-limit") {
      raftstore.raftLogGCSizeLimit = UInt64(value)
    }
    if let value = try positive("region-heartbeat-ticks") { raftstore.regionHeartbeatTicks = value }
    try load(split: table, positive)
    if let value = try table.duration("store-heartbeat-interval") {
      storeHeartbeatInterval = value
    }
    if let value = try table.bytes("snapshot-chunk-size") {
      guard value > 0 else { throw ConfigError("raftstore.snapshot-chunk-size must be positive") }
      transport.snapshotChunkBytes = value
    }
    if let value = try table.duration("command-timeout") { commandTimeout = value }
  }

  /// The split checker's keys of the `[raftstore]` table.
  private mutating func load(split table: ConfigTable, _ positive: (String) throws -> Int?) throws {
    if let value = try positive("split-region-check-tick-interval") {
      raftstore.splitCheckTicks = value
    }
    var thresholds = raftstore.splitThresholds
    if let value = try table.bytes("region-max-size") { thresholds.maxSize = UInt64(value) }
    if let value = try table.bytes("region-split-size") { thresholds.splitSize = UInt64(value) }
    if let value = try positive("region-max-keys") { thresholds.maxKeys = UInt64(value) }
    if let value = try positive("region-split-keys") { thresholds.splitKeys = UInt64(value) }
    guard thresholds.splitSize > 0, thresholds.splitSize <= thresholds.maxSize,
      thresholds.splitKeys <= thresholds.maxKeys
    else {
      throw ConfigError(
        "raftstore.region-split-size and region-split-keys must be positive and at most "
          + "region-max-size and region-max-keys")
    }
    raftstore.splitThresholds = thresholds
    if let value = try table.bytes("region-split-check-diff") {
      raftstore.splitCheckDiff = UInt64(value)
    }
  }
}
