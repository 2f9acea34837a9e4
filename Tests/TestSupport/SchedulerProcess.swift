/// Starts the real `tinyscheduler-server` on `port` with its state in `directory` (log
/// `scheduler-<run>.log`) and waits until it listens; `statusPort` nil turns the status
/// address off.
public func startScheduler(
  port: Int, directory: TemporaryDirectory, statusPort: Int? = nil, run: Int = 1
) async throws -> ServerProcess {
  let server = try ServerProcess(
    product: "tinyscheduler-server",
    arguments: [
      "--client-urls", "http://127.0.0.1:\(port)", "--data-dir", directory.appending("data"),
      "--loglevel", "warning", "--status-addr", statusPort.map { "127.0.0.1:\($0)" } ?? "",
    ],
    port: port, logPath: directory.appending("scheduler-\(run).log"))
  try await server.waitUntilListening()
  return server
}

/// Starts the real `tinykv-server` in cluster mode on `port` with its data under
/// `directory/<name>` (log `<name>.log`), joining the scheduler at `schedulerPort`, and waits
/// until it listens. Small raft ticks and heartbeats keep the tests quick. `logName` (default
/// `name`) names the log, so that a restarted store can keep the previous run's log;
/// `raftstoreSettings` are more lines of the `[raftstore]` table.
public func startClusterStore(
  name: String, port: Int, schedulerPort: Int, directory: TemporaryDirectory,
  extraArguments: [String] = [], logName: String? = nil, raftstoreSettings: [String] = [],
  environment: [String: String] = [:], statusPort: Int? = nil
) async throws -> ServerProcess {
  let config = directory.appending("\(name).toml")
  try """
  [raftstore]
  raft-base-tick-interval = "20ms"
  region-heartbeat-ticks = 10
  store-heartbeat-interval = "200ms"
  \(raftstoreSettings.joined(separator: "\n"))
  [rocksdb]
  block-cache-size = "4MiB"
  write-buffer-size = "4MiB"
  background-threads = 1
  """.write(toFile: config, atomically: true, encoding: .utf8)
  let server = try ServerProcess(
    product: "tinykv-server",
    arguments: [
      "--addr", "127.0.0.1:\(port)", "--path", directory.appending(name), "--scheduler",
      "127.0.0.1:\(schedulerPort)", "--status-addr", statusPort.map { "127.0.0.1:\($0)" } ?? "",
      "--config", config,
    ] + extraArguments,
    port: port, logPath: directory.appending("\(logName ?? name).log"), environment: environment)
  try await server.waitUntilListening()
  return server
}
