import ArgumentParser
import Client
import Foundation
import Logging
import Observability
import SQLEngine
import SQLServer
import ServerSupport
import Storage

/// `tinysql-server`: the MySQL-protocol SQL front end, with TinySQL's flags. Its tables live in
/// a TinyKV cluster (`--store=tikv --path=<scheduler>`) or in a store inside this process
/// (`--store=local --path=<folder>`, the default).
@main
struct TinySQLServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tinysql-server",
    abstract: "A MySQL-protocol SQL server over TinyKV: mysql -h 127.0.0.1 -P 4000 -u root",
    discussion: """
      With --store=tikv, --path names the cluster's scheduler (HOST:PORT; several separated by \
      commas are tried in turn). With --store=local (the default), --path is a folder for a \
      store in this process (default: ./tinysql-data).
      """)

  @Option(help: "Where tables live: \"tikv\" (a cluster) or \"local\" (a store in this process).")
  var store = "local"

  @Option(help: "The scheduler's address (tikv) or the data folder (local).")
  var path: String?

  @Option(help: "Address to serve MySQL clients on.")
  var host = "0.0.0.0"

  @Option(name: [.customShort("P"), .customLong("port")], help: "MySQL protocol port.")
  var port = 4000

  @Option(help: "HTTP port for /metrics and /health (0: off).")
  var status = 10080

  @Option(help: "Password of user root (default: none).")
  var rootPassword = ""

  @Option(
    name: [.customShort("L"), .customLong("log-level")],
    help: "Log level: debug, info, warning, error.")
  var logLevel = "info"

  func validate() throws {
    guard ["tikv", "local"].contains(store) else {
      throw ValidationError("--store must be \"tikv\" or \"local\", not \"\(store)\"")
    }
    guard (0...65535).contains(port) else { throw ValidationError("--port \(port) is not a port") }
    guard Logger.Level(rawValue: logLevel.lowercased()) != nil else {
      throw ValidationError("unknown log level \"\(logLevel)\"")
    }
  }

  func run() async throws {
    let level = Logger.Level(rawValue: logLevel.lowercased()) ?? .info
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "tinysql")
    if store == "local" {
      let folder = path ?? "tinysql-data"
      let storage: StandaloneStorage
      do {
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        storage = try StandaloneStorage(path: folder)
      } catch {
        throw ValidationError("cannot open the data folder \(folder): \(error)")
      }
      logger.info("tables live in a store in this process", metadata: ["path": "\(folder)"])
      try await serve(Domain(store: ClientStore.local(storage: storage)), logger: logger)
      return
    }
    let addresses = (path ?? "127.0.0.1:2379").split(separator: ",").map {
      String($0).replacingOccurrences(of: "http://", with: "")
    }
    var lastError: (any Error)?
    for address in addresses {
      let scheduler: HostAndPort
      do {
        scheduler = try HostAndPort(parsing: address)
      } catch {
        throw ValidationError("--path: \"\(address)\" is not HOST:PORT")
      }
      do {
        try await ClusterTxnClient.connect(scheduler: scheduler) { client in
          logger.info("tables live in the cluster", metadata: ["scheduler": "\(scheduler)"])
          try await serve(Domain(store: ClientStore(client: client)), logger: logger)
        }
        return
      } catch let error as ServerStartError {
        throw error
      } catch {
        logger.warning("cannot use the scheduler at \(scheduler): \(error)")
        lastError = error
      }
    }
    throw ValidationError("no scheduler answered: \(lastError.map { "\($0)" } ?? "none given")")
  }

  /// Serves MySQL clients over `domain` until SIGINT or SIGTERM.
  private func serve(_ domain: Domain, logger: Logger) async throws {
    let server = SQLServer(
      configuration: SQLServerConfiguration(
        host: host, port: port, users: ["root": rootPassword], logger: logger,
        makeSession: { info in
          EngineSession(Session(domain: domain, connectionID: info.connectionID, user: info.user))
        }))
    do {
      try await server.start()
    } catch {
      throw ServerStartError(message: "cannot listen on \(host):\(port): \(error)")
    }
    let registry = bootstrapPrometheusMetrics()
    let statusServer: StatusServer? =
      status == 0 ? nil : try? await StatusServer(host: host, port: status, registry: registry)
    if status != 0 && statusServer == nil {
      logger.warning("cannot serve the status port \(status); going on without it")
    }
    logger.info(
      "tinysql-server is serving: mysql -h 127.0.0.1 -P \(server.port ?? port) -u root",
      metadata: ["status": "\(statusServer?.port ?? 0)"])
    let signals = ShutdownSignals { signal in
      logger.info("received \(signal), shutting down")
      server.stop()
    }
    defer { signals.cancel() }
    try await withThrowingTaskGroup(of: Void.self) { group in
      if let statusServer { group.addTask { try await statusServer.run() } }
      try await server.run()
      group.cancelAll()
    }
  }
}

/// The server could not start (its port is taken): not worth trying another scheduler.
struct ServerStartError: Error, CustomStringConvertible {
  let message: String
  var description: String { message }
}
