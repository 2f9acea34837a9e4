import Client
import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import TestSupport

/// A gRPC server on a fixed loopback port in this process, which a test can stop (abruptly,
/// as a crash would) and start again on the same port.
final class LoopbackServer: Sendable {
  let port: Int
  private let services: [any RegistrableRPCService]
  private let maxRequestBytes: Int
  private let serving = Mutex<Task<Void, any Error>?>(nil)

  /// A server of `services` (not started) that refuses request messages larger than
  /// `maxRequestBytes`.
  init(port: Int, services: [any RegistrableRPCService], maxRequestBytes: Int = 4 << 20) {
    self.port = port
    self.services = services
    self.maxRequestBytes = maxRequestBytes
  }

  /// Where clients reach it.
  var address: HostAndPort { HostAndPort(host: "127.0.0.1", port: port) }

  /// Starts serving and waits until it listens.
  func start() async throws {
    let server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: "127.0.0.1", port: port), transportSecurity: .plaintext,
        config: .defaults { $0.rpc.maxRequestPayloadSize = maxRequestBytes }),
      services: services)
    let task = Task { try await server.serve() }
    serving.withLock { $0 = task }
    guard try await server.listeningAddress != nil else {
      throw TestFailure("the server on port \(port) did not start listening")
    }
  }

  /// Stops serving, cutting every open stream, and waits until it has stopped.
  func stop() async {
    guard let task = serving.withLock({ $0.take() }) else { return }
    task.cancel()
    _ = await task.result
  }
}
