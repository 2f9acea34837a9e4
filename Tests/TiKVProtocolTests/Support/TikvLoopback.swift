import Engine
import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Storage
import TestSupport
import Testing
import TiKVGRPC
import TiKVProtocol

/// A `tikvpb.Tikv` client as the tests use it.
typealias TikvClient = Tikvpb_Tikv.Client<HTTP2ClientTransport.Posix>

/// Serving `TikvService`s on loopback ports in this process, and clients of them.
enum TikvLoopback {
  /// Serves `service` on a free loopback port, runs `body` with a client of it, then stops.
  ///
  /// Stopped by a graceful shutdown with a 1 ms grace, awaited, never by cancelling `serve()`:
  /// a connection accepted but not yet taken when `serve()` is cancelled traps in NIO
  /// (swift-nio#2637).
  static func withServer<Result: Sendable>(
    _ service: some RegistrableRPCService, _ body: (TikvClient) async throws -> Result
  ) async throws -> Result {
    let server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext,
        config: .defaults { $0.connection.maxGraceTime = .milliseconds(1) }),
      services: [service])
    let serving = Task { try await server.serve() }
    let result: Swift.Result<Result, any Error>
    if let port = try? await server.listeningAddress?.ipv4?.port {
      do { result = .success(try await withClient(port: port, body)) } catch {
        result = .failure(error)
      }
    } else {
      result = .failure(TestFailure("the TiKV service did not start listening"))
    }
    server.beginGracefulShutdown()
    _ = await serving.result
    return try result.get()
  }

  /// Runs `body` with a client of the `tikvpb.Tikv` service on loopback port `port`.
  static func withClient<Result: Sendable>(
    port: Int, _ body: (TikvClient) async throws -> Result
  ) async throws -> Result {
    try await withGRPCClient(
      transport: .http2NIOPosix(
        target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
    ) { client in
      try await body(Tikvpb_Tikv.Client(wrapping: client))
    }
  }

  /// A fresh standalone store serving `tikvpb.Tikv`; runs `body` with a client of it.
  static func withStandalone<Result: Sendable>(
    _ body: (TikvClient) async throws -> Result
  ) async throws -> Result {
    let directory = try TemporaryDirectory("tikv-protocol")
    let storage = try StandaloneStorage(path: directory.appending("db"), options: .small())
    defer { storage.close() }
    return try await withServer(TikvService(storage: storage), body)
  }
}

/// The UTF-8 bytes of `text`, for readable test keys and values.
func bytes(_ text: String) -> Data { Data(text.utf8) }

/// The `RPCError` that `body` throws; nil (and a recorded issue) if it returns or throws
/// something else.
func rpcError<Response>(
  sourceLocation: SourceLocation = #_sourceLocation, _ body: () async throws -> Response
) async -> RPCError? {
  do {
    _ = try await body()
    Issue.record("expected an RPCError", sourceLocation: sourceLocation)
  } catch let error as RPCError {
    return error
  } catch {
    Issue.record("expected an RPCError, got \(error)", sourceLocation: sourceLocation)
  }
  return nil
}
