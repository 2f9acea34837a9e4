import Foundation
import TestSupport

/// The command lines of a chaos cluster's servers, on loopback or (with a ``ChaosNetwork``)
/// each store inside its namespace, every one a watched ``ChaosProcess``.
enum ChaosLaunch {
  /// `[raftstore]` settings of every store: quick ticks and heartbeats, small regions, and a
  /// log compacted early so that a store that was down catches up through a snapshot.
  static let raftstoreSettings = """
    raft-base-tick-interval = "20ms"
    region-heartbeat-ticks = 10
    store-heartbeat-interval = "200ms"
    split-region-check-tick-interval = 5
    region-max-size = "24KiB"
    region-split-size = "12KiB"
    region-split-check-diff = "4KiB"
    raft-log-gc-tick-interval = 5
    raft-log-gc-count-limit = 40
    """

  /// Starts `tinyscheduler-server` serving `host:port`, data and log (`scheduler.log`) in
  /// `directory`.
  static func scheduler(
    host: String, port: Int, directory: TemporaryDirectory, watch: DeathWatch
  ) throws -> ChaosProcess {
    try ChaosProcess(
      name: "scheduler", executable: try ServerProcess.binary("tinyscheduler-server"),
      arguments: [
        "--client-urls", "http://\(host):\(port)", "--data-dir", directory.appending("data"),
        "--loglevel", "warning", "--status-addr", "",
      ],
      environment: [:], logPath: directory.appending("scheduler.log"), watch: watch)
  }

  /// Where a store listens and finds the scheduler.
  struct StoreAddress {
    var host: String
    var port: Int
    var statusPort: Int
    var scheduler: String
  }

  /// Starts `tinykv-server` number `index` in cluster mode at `address`, data in
  /// `directory/store-<index>`, log `store-<index>-run-<run>.log`, failpoints on; inside
  /// `network`'s namespace for the store when there is one.
  static func store(
    _ index: Int, run: Int, at address: StoreAddress, network: ChaosNetwork?,
    directory: TemporaryDirectory, watch: DeathWatch
  ) throws -> ChaosProcess {
    let name = "store-\(index)"
    let config = directory.appending("\(name).toml")
    try """
    [raftstore]
    \(raftstoreSettings)
    [rocksdb]
    block-cache-size = "4MiB"
    write-buffer-size = "4MiB"
    background-threads = 1
    """.write(toFile: config, atomically: true, encoding: .utf8)
    let arguments = [
      "--addr", "\(address.host):\(address.port)", "--path", directory.appending(name),
      "--scheduler", address.scheduler, "--status-addr", "\(address.host):\(address.statusPort)",
      "--config", config,
    ]
    let binary = try ServerProcess.binary("tinykv-server")
    let command = try network?.command(for: index, binary: binary) ?? (binary, [])
    let (executable, prefix) = command
    return try ChaosProcess(
      name: name, executable: executable, arguments: prefix + arguments,
      environment: ["TINYKV_FAILPOINTS": ""],
      logPath: directory.appending("\(name)-run-\(run).log"), watch: watch)
  }
}
