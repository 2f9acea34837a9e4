import Engine
import Metrics
import Storage

/// Gauges read from the engine when Prometheus scrapes (RocksDB keeps the numbers; reading
/// them costs a few property look-ups).
struct EngineMetrics: Sendable {
  let database: Database
  /// The engine's name in the `engine` label (`kv`, `raft`).
  let name: String

  private static let properties = [
    ("tinykv_engine_keys_estimate", "rocksdb.estimate-num-keys"),
    ("tinykv_engine_sst_bytes", "rocksdb.total-sst-files-size"),
    ("tinykv_engine_memtable_bytes", "rocksdb.cur-size-all-mem-tables"),
    ("tinykv_engine_pending_compaction_bytes", "rocksdb.estimate-pending-compaction-bytes"),
  ]

  /// Refreshes the gauges.
  func update() {
    for (metric, property) in Self.properties {
      guard let text = try? database.property(property), let value = Double(text) else { continue }
      Gauge(label: metric, dimensions: [("engine", name)]).record(value)
    }
  }
}

extension StandaloneStorage {
  /// Refreshes the group committer's totals as gauges (they only grow).
  func updateCommitMetrics() {
    let stats = commitStats
    Gauge(label: "tinykv_storage_writes").record(Double(stats.writes))
    Gauge(label: "tinykv_storage_syncs").record(Double(stats.syncs))
  }
}
