import ArgumentParser
import Client
import Engine
import Failpoints
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import KVServer
import Logging
import Observability
import Storage

/// `tinykv-server`: one TinyKV store.
@main
struct TinyKVServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tinykv-server",
    abstract: "A TinyKV store: serves the TinyKV gRPC protocol from a local RocksDB.",
    discussion: """
      Cluster mode (the default) joins the cluster of the tinyscheduler-server at --scheduler: \
      the first store bootstraps the cluster's first region, every store replicates its \
      regions with Raft, and clients find regions through the scheduler. --standalone runs \
      one store alone: no replication, no scheduler, every write synced before it is \
      acknowledged.

      Settings come from the flags, then a TOML file given with --config (see \
      docs/CONFIGURATION.md; unknown keys are refused), then the defaults.

      Example:
        tinykv-server --scheduler 127.0.0.1:2379 --addr 127.0.0.1:20160 --path ./store-1
        tinykv-server --standalone --addr 127.0.0.1:20160 --path ./tinykv-data
        tinykv-server --standalone --config tinykv.toml
      """)

  @Option(help: "Address to serve gRPC on (host:port). Default: 127.0.0.1:20160.")
  var addr: String?

  @Option(help: "Data folder; created if missing. Default: tinykv-data.")
  var path: String?

  @Option(help: "Address of tinyscheduler-server (cluster mode). Default: 127.0.0.1:2379.")
  var scheduler: String?

  @Option(
    help:
      "Log level: trace, debug, info, notice, warning, error, critical. Default: $LOG_LEVEL, else info."
  )
  var loglevel: String?

  @Option(
    help:
      "The address other stores and clients reach this store at (cluster mode). Default: --addr."
  )
  var advertiseAddr: String?

  @Flag(help: "Run as a single store without replication or a scheduler.")
  var standalone = false

  @Option(
    help:
      "HTTP address for /metrics (Prometheus) and /health; \"\" turns it off. Default: 127.0.0.1:20180."
  )
  var statusAddr: String?

  @Option(help: "Largest request accepted, in bytes. Default: 16 MiB.")
  var maxRequestBytes: Int?

  @Option(name: .customLong("config"), help: "A TOML configuration file; flags override it.")
  var configFile: String?

  /// The defaults, then the file, then the flags and $LOG_LEVEL.
  func settings() throws -> StoreSettings {
    var settings = StoreSettings()
    if let configFile {
      do {
        try settings.load(tomlFile: configFile)
      } catch {
        throw ValidationError("--config \(configFile): \(error)")
      }
    }
    if let addr { settings.addr = addr }
    if let path { settings.path = path }
    if let scheduler { settings.scheduler = scheduler }
    if let level = loglevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] {
      settings.logLevel = level
    }
    if let maxRequestBytes { settings.maxRequestBytes = maxRequestBytes }
    if let statusAddr { settings.statusAddr = statusAddr }
    if let advertiseAddr { settings.advertiseAddr = advertiseAddr }
    return settings
  }

  mutating func validate() throws {
    let settings = try settings()
    _ = try Self.logLevel(settings.logLevel)
    do {
      _ = try HostAndPort(parsing: settings.addr)
    } catch {
      throw ValidationError("addr: \(error)")
    }
    if !settings.statusAddr.isEmpty {
      do {
        _ = try HostAndPort(parsing: settings.statusAddr)
      } catch {
        throw ValidationError("status-addr: \(error)")
      }
    }
    guard settings.maxRequestBytes > 0 else {
      throw ValidationError("max-request-bytes must be positive")
    }
    if !standalone {
      do {
        _ = try HostAndPort(parsing: settings.scheduler)
        _ = try HostAndPort(parsing: settings.advertisedAddress)
      } catch {
        throw ValidationError("scheduler or advertise-addr: \(error)")
      }
    }
  }

  func run() async throws {
    let settings = try settings()
    let level = try Self.logLevel(settings.logLevel)
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "tinykv-server")
    let failpoints: [String]
    do {
      failpoints = try Failpoints.configureFromEnvironment()
    } catch {
      throw Fatal("\(error)")
    }
    if !failpoints.isEmpty {
      logger.warning("failpoints enabled", metadata: ["failpoints": "\(failpoints)"])
    }
    let endpoint = try HostAndPort(parsing: settings.addr)
    let path = settings.path
    let maxRequestBytes = settings.maxRequestBytes
    logger.info(
      "starting",
      metadata: [
        "mode": "\(standalone ? "standalone" : "cluster")", "addr": "\(endpoint)",
        "path": "\(path)",
        "scheduler": "\(settings.scheduler)\(standalone ? " (unused standalone)" : "")",
        "loglevel": "\(level)", "max-request-bytes": "\(maxRequestBytes)",
        "config": "\(configFile ?? "none")",
      ])
    if !standalone {
      try await ClusterServer(settings: settings, logger: logger).run()
      logger.info("stopped")
      return
    }

    let storage: StandaloneStorage
    do {
      storage = try StandaloneStorage(path: path, options: settings.rocksdb)
    } catch {
      throw Fatal("cannot open the data folder \(path): \(error)")
    }

    let engine = EngineMetrics(database: storage.database, name: "kv")
    do {
      try await Serving(settings: settings, logger: logger).run(
        services: keyValueServices(storage: storage), registry: bootstrapPrometheusMetrics(),
        beforeScrape: {
          engine.update()
          storage.updateCommitMetrics()
        })
    } catch {
      storage.close()
      throw error
    }
    storage.close()
    logger.info("stopped")
  }

  private static func logLevel(_ text: String) throws -> Logger.Level {
    guard let level = Logger.Level(rawValue: text.lowercased()) else {
      throw ValidationError(
        "unknown log level \"\(text)\"; expected one of: "
          + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return level
  }
}

/// An error that ends the process with a message and a non-zero status.
struct Fatal: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
