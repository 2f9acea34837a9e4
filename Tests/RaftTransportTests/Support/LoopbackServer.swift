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
  /// The running server and the task serving it.
  private typealias Running = (
    server: GRPCServer<HTTP2ServerTransport.Posix>, task: Task<Void, any Error>
  )
  private let serving = Mutex<Running?>(nil)

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
        config: .defaults {
          $0.rpc.maxRequestPayloadSize = maxRequestBytes
          // A graceful shutdown cuts the open streams at once (see `stop()`).
          $0.connection.maxGraceTime = .milliseconds(1)
        }),
      services: services)
    let task = Task { try await server.serve() }
    serving.withLock { $0 = (server, task) }
    guard try await server.listeningAddress != nil else {
      throw TestFailure("the server on port \(port) did not start listening")
    }
  }

  /// Stops serving, cutting every open stream, and waits until it has stopped.
  ///
  /// Not by cancelling `serve()`: a connection accepted but not yet taken by the server's loop
  /// when it is cancelled traps in NIO ("Deinited NIOAsyncWriter without calling finish()",
  /// swift-nio#2637), which crashed a CI run. A graceful shutdown closes the listener and lets
  /// the loop take what it accepted; a grace time of 1 ms then cuts the open streams, as a
  /// crash would.
  func stop() async {
    guard let (server, task) = serving.withLock({ $0.take() }) else { return }
    server.beginGracefulShutdown()
    _ = await task.result
  }
}
