import ArgumentParser
import Client
import Foundation
import TinyKVProto

/// `tinykv-playground`: a whole cluster on this machine with one command.
@main
struct PlaygroundCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tinykv-playground",
    abstract: "Start a local TinyKV cluster: the scheduler and N stores on loopback.",
    discussion: """
      Starts tinyscheduler-server and --stores tinykv-server processes (binaries beside this \
      one) with their data and logs under --dir, waits until every store has joined and the \
      first region has a leader (and its replicas, as far as the cluster can make them), \
      prints the endpoints and a few commands to try, and runs until Ctrl-C, when it stops \
      the stores and then the scheduler gracefully. Run it again on the same --dir to \
      restart the same cluster; --clean starts from nothing.

      Ports: the scheduler on --scheduler-port (status --scheduler-port + 2), store i on \
      --store-port + i - 1 (status --status-port + i - 1), tinysql-server (the SQL front \
      end: mysql -h 127.0.0.1 -P 4000 -u root) on --sql-port (status --sql-status-port).
      """)

  @Option(help: "Stores to run.")
  var stores = 3

  @Option(help: "Folder for every process's data and logs.")
  var dir = "playground-data"

  @Flag(help: "Remove --dir before starting.")
  var clean = false

  @Option(help: "The scheduler's client port.")
  var schedulerPort = 2379

  @Option(help: "The first store's port.")
  var storePort = 20160

  @Option(help: "The first store's status (metrics) port.")
  var statusPort = 20180

  @Option(help: "Seconds to wait for the cluster to be ready before giving up.")
  var readyTimeout: Double = 60

  @Option(help: "tinysql-server's MySQL port (0: no SQL server).")
  var sqlPort = 4000

  @Option(help: "tinysql-server's status (metrics) port.")
  var sqlStatusPort = 10080

  @Option(help: "Log level of the servers.")
  var loglevel = "info"

  @Option(
    help: ArgumentHelp(
      "A TOML file every store reads (tinykv-server --config; see docs/CONFIGURATION.md).",
      valueName: "file"))
  var storeConfig: String?

  mutating func validate() throws {
    guard (1...9).contains(stores) else { throw ValidationError("--stores must be 1 to 9") }
    guard readyTimeout > 0 else { throw ValidationError("--ready-timeout must be positive") }
    if let storeConfig, !FileManager.default.isReadableFile(atPath: storeConfig) {
      throw ValidationError("--store-config \(storeConfig) is not a readable file")
    }
    let ports =
      [schedulerPort, schedulerPort + 2] + (sqlPort == 0 ? [] : [sqlPort, sqlStatusPort])
      + (0..<stores).flatMap {
        [storePort + $0, statusPort + $0]
      }
    guard Set(ports).count == ports.count, ports.allSatisfy({ (1...65535).contains($0) }) else {
      throw ValidationError("the ports overlap or are out of range: \(ports)")
    }
  }

  func run() async throws {
    if clean { try? FileManager.default.removeItem(atPath: dir) }
    try FileManager.default.createDirectory(
      atPath: dir + "/logs", withIntermediateDirectories: true)
    let cluster = PlaygroundCluster(command: self)
    do {
      try await cluster.start()
    } catch {
      await cluster.stop()
      throw error
    }
    cluster.printWelcome()
    fflush(nil)  // shown now even when the output goes to a file or a pipe
    await cluster.runUntilInterrupted()
  }
}
