import Client
import Failpoints
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Logging
import Observability
import ServerSupport

/// Serves gRPC services and the status address until SIGINT or SIGTERM, then shuts gRPC down
/// gracefully (in-flight RPCs finish) and stops the status server. Shared by both modes.
struct Serving {
  let settings: StoreSettings
  let logger: Logger

  /// Runs `services` on the configured address, with `/metrics` from `registry` (refreshing
  /// `beforeScrape` first) on the status address, plus `background` tasks (heartbeats), which
  /// are cancelled at shutdown.
  /// - Throws: `Fatal` if an address cannot be served (in use, not available).
  func run(
    services: [any RegistrableRPCService], registry: MetricsRegistry,
    beforeScrape: @escaping @Sendable () -> Void,
    background: [@Sendable () async -> Void] = []
  ) async throws {
    let endpoint = try HostAndPort(parsing: settings.addr)
    let maxRequestBytes = settings.maxRequestBytes
    let transport = HTTP2ServerTransport.Posix(
      address: endpoint.isIPv6
        ? .ipv6(host: endpoint.host, port: endpoint.port)
        : .ipv4(host: endpoint.host, port: endpoint.port),
      transportSecurity: .plaintext,
      config: .defaults { $0.rpc.maxRequestPayloadSize = maxRequestBytes })
    let server = GRPCServer(
      transport: transport, services: services,
      interceptors: [RPCMetricsInterceptor(prefix: "tinykv")])
    let status: StatusServer?
    if settings.statusAddr.isEmpty {
      status = nil
    } else {
      let statusEndpoint = try HostAndPort(parsing: settings.statusAddr)
      do {
        status = try await StatusServer(
          host: statusEndpoint.host, port: statusEndpoint.port, registry: registry,
          beforeScrape: beforeScrape,
          failpoints: ProcessInfo.processInfo.environment[Failpoints.environmentKey] != nil)
      } catch {
        throw Fatal("cannot serve the status address \(statusEndpoint): \(error)")
      }
    }
    let logger = logger
    let (shutdownStarted, startShutdown) = AsyncStream.makeStream(of: Void.self)
    let signals = ShutdownSignals { signal in
      logger.info("shutting down", metadata: ["signal": "\(signal)"])
      server.beginGracefulShutdown()
      startShutdown.yield()
    }
    defer { signals.cancel() }
    do {
      try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.serve() }
        if let status {
          group.addTask { try await status.run() }
          logger.info(
            "status server", metadata: ["port": "\(status.port)", "paths": "/metrics /health"])
        }
        // If binding fails, serve() throws the reason (address in use, ...); report that one.
        if let address = try? await server.listeningAddress {
          logger.info("serving", metadata: ["address": "\(address)"])
        }
        for task in background { group.addTask { await task() } }
        // Other stores' Raft streams never end by themselves: after a grace period the
        // graceful shutdown is cut short.
        group.addTask {
          for await _ in shutdownStarted {
            try? await Task.sleep(for: Self.shutdownGrace)
            if !Task.isCancelled { throw ShutdownGraceExpired() }
          }
        }
        // The gRPC server returns after a graceful shutdown (or throws); then stop the rest.
        try await group.next()
        group.cancelAll()
      }
    } catch is ShutdownGraceExpired {
      logger.info("in-flight streams cut after \(Self.shutdownGrace)")
    } catch {
      throw Fatal("cannot serve on \(endpoint): \(Self.reason(error))")
    }
  }

  /// How long a graceful shutdown waits for in-flight RPCs and streams.
  static let shutdownGrace: Duration = .seconds(5)

  /// The graceful shutdown took longer than ``shutdownGrace``.
  private struct ShutdownGraceExpired: Error {}

  /// The most telling part of a transport error (the bind failure, not the wrapper).
  private static func reason(_ error: any Error) -> String {
    if let rpc = error as? RPCError {
      return rpc.cause.map { "\(rpc.message): \($0)" } ?? rpc.message
    }
    return String(describing: error)
  }
}
