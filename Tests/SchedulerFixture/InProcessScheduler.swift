import Client
import GRPCCore
import GRPCNIOTransportHTTP2
import Scheduler

/// Serves `node` on a free loopback port for the length of `body`, which gets a connected
/// client: a real scheduler for tests of the components that talk to one.
public func withInProcessScheduler<Result: Sendable>(
  _ node: SchedulerNode, _ body: @Sendable (SchedulerClient) async throws -> Result
) async throws -> Result {
  let server = GRPCServer(
    transport: .http2NIOPosix(
      address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
    services: [SchedulerService(node: node, name: "test", clientURLs: [])])
  return try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await server.serve() }
    defer { server.beginGracefulShutdown() }
    guard let port = try await server.listeningAddress?.ipv4?.port else {
      throw SchedulerFixtureError(description: "the in-process scheduler is not listening")
    }
    return try await SchedulerClient.connect(to: HostAndPort(host: "127.0.0.1", port: port)) {
      try await body($0)
    }
  }
}

/// The in-process scheduler could not start.
public struct SchedulerFixtureError: Error, CustomStringConvertible {
  public var description: String
}
