import TestSupport

/// Starts the real `tinyscheduler-server` on `port` with its state in `directory` (log
/// `scheduler-<run>.log`) and waits until it listens; `statusPort` nil turns the status
/// address off.
func startScheduler(
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
