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
  static func withServer<Result: Sendable>(
    _ service: some RegistrableRPCService, _ body: (TikvClient) async throws -> Result
  ) async throws -> Result {
    let server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: "127.0.0.1", port: 0), transportSecurity: .plaintext),
      services: [service])
    let serving = Task { try await server.serve() }
    defer {
      server.beginGracefulShutdown()
      serving.cancel()
    }
    guard let port = try await server.listeningAddress?.ipv4?.port else {
      throw TestFailure("the TiKV service did not start listening")
    }
    return try await withClient(port: port, body)
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
