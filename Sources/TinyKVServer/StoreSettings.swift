import ConfigFile
import Engine

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
  var rocksdb = DatabaseOptions()

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
}
