import ArgumentParser
import Client
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Observability
import PDProtocol
import Scheduler
import ServerSupport

/// `tinyscheduler-server`: the cluster's scheduler (PD's role), with TinyKV's scheduler flags.
@main
struct ServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tinyscheduler-server",
    abstract: "The TinyKV cluster's scheduler: ids, timestamps, the region map and balancing.")

  @Option(name: .customLong("client-urls"), help: "URL to serve clients on.")
  var clientURLs: String?

  @Option(
    name: .customLong("advertise-client-urls"),
    help: "URL clients are told to dial (default: --client-urls, a wildcard host as 127.0.0.1).")
  var advertiseClientURLs: String?

  @Option(
    name: .customLong("data-dir"),
    help: "Folder for the scheduler's state (default: default.<name>).")
  var dataDir: String?

  @Option(help: "This member's name.")
  var name: String?

  @Option(help: "Log level: trace, debug, info, notice, warning, error, critical (or LOG_LEVEL).")
  var loglevel: String?

  @Option(
    help:
      "HTTP address for /metrics (Prometheus) and /health; \"\" turns it off. Default: 127.0.0.1:2381."
  )
  var statusAddr: String?

  @Option(name: .customLong("config"), help: "A TOML configuration file; flags override it.")
  var configFile: String?

  func run() async throws {
    var settings = ServerSettings()
    if let configFile {
      do {
        try settings.load(tomlFile: configFile)
      } catch {
        fail("cannot read config file \(configFile): \(error)")
      }
    }
    if let clientURLs { settings.clientURLs = clientURLs }
    if let advertiseClientURLs { settings.advertiseClientURLs = advertiseClientURLs }
    if let statusAddr { settings.statusAddr = statusAddr }
    if let name { settings.name = name }
    if let dataDir { settings.dataDir = dataDir }
    if let level = loglevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] {
      settings.logLevel = level
    }
    guard let logLevel = Logger.Level(rawValue: settings.logLevel.lowercased()) else {
      fail("unknown log level '\(settings.logLevel)'")
    }
    let level = logLevel
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "tinyscheduler")

    let endpoint: Endpoint
    do {
      endpoint = try Endpoint(url: settings.clientURLs)
    } catch {
      fail("\(error)")
    }
    let dataDirectory = settings.dataDir ?? "default.\(settings.name)"

    if let problem = DataDirectory.problem(with: dataDirectory) {
      fail("cannot use data directory \(dataDirectory): \(problem)")
    }
    let node: SchedulerNode
    do {
      node = try SchedulerNode(
        dataDirectory: dataDirectory, config: settings.scheduler, logger: logger)
    } catch {
      fail("cannot use data directory \(dataDirectory): \(error.message)")
    }
    defer { node.close() }

    let member = SchedulerMember(name: settings.name, clientURLs: settings.advertisedClientURLs)
    let services: [any RegistrableRPCService] = [
      SchedulerService(node: node, name: member.name, clientURLs: member.clientURLs),
      PDService(node: node, member: member),
    ]
    let registry = bootstrapPrometheusMetrics()
    let server = GRPCServer(
      transport: .http2NIOPosix(address: endpoint.address, transportSecurity: .plaintext),
      services: services, interceptors: [RPCMetricsInterceptor(prefix: "tinyscheduler")])
    var status: StatusServer?
    if !settings.statusAddr.isEmpty {
      do {
        let address = try HostAndPort(parsing: settings.statusAddr)
        status = try await StatusServer(
          host: address.host, port: address.port, registry: registry,
          beforeScrape: { SchedulerMetrics.update(node) })
      } catch {
        fail("cannot serve the status address \(settings.statusAddr): \(error)")
      }
    }

    let listening = try await withThrowingTaskGroup(of: Bool.self) { group in
      group.addTask {
        try await server.serve()
        return false
      }
      do {
        let address = try await server.listeningAddress
        logger.info(
          "tinyscheduler-server is serving",
          metadata: [
            "address": "\(address.map { "\($0)" } ?? "?")", "cluster-id": "\(node.clusterID)",
            "data-dir": "\(dataDirectory)",
            "name": "\(settings.name)",
          ])
      } catch {
        group.cancelAll()
        _ = try? await group.next()
        return false
      }
      let signals = ShutdownSignals { signal in
        logger.info("received \(signal), shutting down")
        server.beginGracefulShutdown()
      }
      defer { signals.cancel() }
      group.addTask {
        await node.runBackgroundTasks()
        return true
      }
      if let status {
        group.addTask {
          try await status.run()
          return true
        }
      }
      // serve() returns once a signal has started the graceful shutdown.
      while let finished = try await group.next() {
        if finished == false { break }
      }
      group.cancelAll()
      return true
    }
    guard listening else {
      fail("cannot listen on \(endpoint): the port is taken or the address is not available")
    }
    logger.info("tinyscheduler-server stopped")
  }

  /// Prints `message` to standard error and exits with status 1.
  func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("tinyscheduler-server: error: \(message)\n".utf8))
    Foundation.exit(1)
  }
}
