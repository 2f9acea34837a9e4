import ArgumentParser
import Client
import Engine
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import KVServer
import Logging
import Storage

/// `tinykv-server`: one TinyKV store.
@main
struct TinyKVServerCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tinykv-server",
    abstract: "A TinyKV store: serves the TinyKV gRPC protocol from a local RocksDB.",
    discussion: """
      Today the store runs standalone (--standalone): one process, no replication, every write \
      synced to disk before it is acknowledged. Cluster mode (--scheduler) comes with the \
      raft store.

      Example:
        tinykv-server --standalone --addr 127.0.0.1:20160 --path ./tinykv-data
      """)

  @Option(help: "Address to serve gRPC on (host:port).")
  var addr = "127.0.0.1:20160"

  @Option(help: "Data folder; created if missing.")
  var path = "tinykv-data"

  @Option(help: "Address of tinyscheduler-server (cluster mode).")
  var scheduler = "127.0.0.1:2379"

  @Option(
    help:
      "Log level: trace, debug, info, notice, warning, error, critical. Default: $LOG_LEVEL, else info."
  )
  var loglevel: String?

  @Flag(help: "Run as a single store without replication or a scheduler.")
  var standalone = false

  @Option(help: "Largest request accepted, in bytes.")
  var maxRequestBytes = 16 << 20

  mutating func validate() throws {
    guard standalone else {
      throw ValidationError(
        "cluster mode is not available yet; run with --standalone for a single store")
    }
    _ = try parseLogLevel()
    do { _ = try HostAndPort(parsing: addr) } catch { throw ValidationError("--addr: \(error)") }
    guard maxRequestBytes > 0 else { throw ValidationError("--max-request-bytes must be positive") }
  }

  func run() async throws {
    let level = try parseLogLevel()
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = level
      return handler
    }
    let logger = Logger(label: "tinykv-server")
    let endpoint = try HostAndPort(parsing: addr)
    logger.info(
      "starting",
      metadata: [
        "mode": "standalone", "addr": "\(endpoint)", "path": "\(path)",
        "scheduler": "\(scheduler) (unused standalone)", "loglevel": "\(level)",
        "max-request-bytes": "\(maxRequestBytes)",
      ])

    let storage: StandaloneStorage
    do {
      storage = try StandaloneStorage(path: path)
    } catch {
      throw Fatal("cannot open the data folder \(path): \(error)")
    }

    let transport = HTTP2ServerTransport.Posix(
      address: endpoint.isIPv6
        ? .ipv6(host: endpoint.host, port: endpoint.port)
        : .ipv4(host: endpoint.host, port: endpoint.port),
      transportSecurity: .plaintext,
      config: .defaults { $0.rpc.maxRequestPayloadSize = maxRequestBytes })
    let server = GRPCServer(transport: transport, services: [TinyKvService(storage: storage)])
    let signals = ShutdownSignals { signal in
      logger.info("shutting down", metadata: ["signal": "\(signal)"])
      server.beginGracefulShutdown()
    }

    do {
      try await withThrowingDiscardingTaskGroup { group in
        group.addTask { try await server.serve() }
        // If binding fails, serve() throws the reason (address in use, ...); report that one.
        if let address = try? await server.listeningAddress {
          logger.info("serving", metadata: ["address": "\(address)"])
        }
      }
    } catch {
      signals.cancel()
      storage.close()
      throw Fatal("cannot serve on \(endpoint): \(Self.reason(error))")
    }
    signals.cancel()
    storage.close()
    logger.info("stopped")
  }

  private func parseLogLevel() throws -> Logger.Level {
    let text = loglevel ?? ProcessInfo.processInfo.environment["LOG_LEVEL"] ?? "info"
    guard let level = Logger.Level(rawValue: text.lowercased()) else {
      throw ValidationError(
        "unknown log level \"\(text)\"; expected one of: "
          + Logger.Level.allCases.map(\.rawValue).joined(separator: ", "))
    }
    return level
  }

  /// The most telling part of a transport error (the bind failure, not the wrapper).
  private static func reason(_ error: any Error) -> String {
    if let rpc = error as? RPCError {
      return rpc.cause.map { "\(rpc.message): \($0)" } ?? rpc.message
    }
    return String(describing: error)
  }
}

/// An error that ends the process with a message and a non-zero status.
struct Fatal: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
