import Failpoints
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus

/// A small HTTP server beside the gRPC port (TiKV's "status address"): `GET /metrics` in
/// Prometheus's text format, `GET /health` answering `ok`, and, when the process allows it
/// (`failpoints`), TiKV's failpoint endpoints: `PUT /fail/<name>` with the actions as the body,
/// `DELETE /fail/<name>`, `GET /fail` listing what is set. Runs on NIO's shared event loops;
/// every answer is computed without blocking them.
public final class StatusServer: Sendable {
  private let channel:
    NIOAsyncChannel<NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>, Never>
  private let registry: PrometheusCollectorRegistry
  private let beforeScrape: @Sendable () -> Void
  private let failpoints: Bool

  /// The port bound (useful when asked for port 0).
  public let port: Int

  /// Binds `host:port`; call ``run()`` to serve.
  /// - Parameters:
  ///   - registry: the metrics `/metrics` shows.
  ///   - beforeScrape: called before each scrape, to refresh gauges read on demand (engine
  ///     sizes, region counts); must be quick.
  ///   - failpoints: whether `/fail` configures the process's failpoints (for chaos tests;
  ///     servers turn it on only when `TINYKV_FAILPOINTS` is in their environment).
  /// - Throws: the bind failure (address in use, ...).
  public init(
    host: String, port: Int, registry: PrometheusCollectorRegistry,
    beforeScrape: @escaping @Sendable () -> Void = {}, failpoints: Bool = false
  ) async throws {
    self.failpoints = failpoints
    channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.backlog, value: 64)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .bind(host: host, port: port) { child in
        child.eventLoop.makeCompletedFuture {
          try child.pipeline.syncOperations.configureHTTPServerPipeline()
          return try NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>(
            wrappingChannelSynchronously: child)
        }
      }
    self.registry = registry
    self.beforeScrape = beforeScrape
    self.port = channel.channel.localAddress?.port ?? port
  }

  /// Serves connections until the task is cancelled, then closes the socket.
  public func run() async throws {
    try await withThrowingDiscardingTaskGroup { group in
      try await channel.executeThenClose { connections in
        for try await connection in connections {
          group.addTask { [self] in try? await serve(connection) }
        }
      }
    }
  }

  private func serve(
    _ connection: NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>
  ) async throws {
    try await connection.executeThenClose { requests, responses in
      var head: HTTPRequestHead?
      var content = ByteBuffer()
      for try await part in requests {
        switch part {
        case .head(let request):
          head = request
          content.clear()
        case .body(var chunk):
          if content.readableBytes + chunk.readableBytes <= 64 << 10 {
            content.writeBuffer(&chunk)
          }
        case .end:
          guard let request = head else { continue }
          let (status, contentType, body) = answer(request, content: String(buffer: content))
          var headers = HTTPHeaders()
          headers.add(name: "Content-Type", value: contentType)
          headers.add(name: "Content-Length", value: "\(body.count)")
          try await responses.write(
            .head(HTTPResponseHead(version: request.version, status: status, headers: headers)))
          try await responses.write(.body(.byteBuffer(ByteBuffer(bytes: body))))
          try await responses.write(.end(nil))
          head = nil
        }
      }
    }
  }

  private func answer(
    _ request: HTTPRequestHead, content: String
  ) -> (HTTPResponseStatus, String, [UInt8]) {
    let path = request.uri.split(separator: "?").first.map(String.init) ?? ""
    if failpoints, path == "/fail" || path.hasPrefix("/fail/") {
      return answerFailpoint(request.method, name: String(path.dropFirst("/fail/".count)), content)
    }
    guard request.method == .GET else {
      return (.methodNotAllowed, "text/plain", Array("only GET is served\n".utf8))
    }
    switch path {
    case "/metrics":
      beforeScrape()
      return (.ok, "text/plain; version=0.0.4", registry.emitToBuffer())
    case "/health":
      return (.ok, "text/plain", Array("ok\n".utf8))
    default:
      return (.notFound, "text/plain", Array("not found; try /metrics or /health\n".utf8))
    }
  }

  /// `PUT /fail/<name>` (body: actions), `DELETE /fail/<name>`, `GET /fail`.
  private func answerFailpoint(
    _ method: HTTPMethod, name: String, _ content: String
  ) -> (HTTPResponseStatus, String, [UInt8]) {
    func text(_ status: HTTPResponseStatus, _ message: String) -> (
      HTTPResponseStatus, String, [UInt8]
    ) {
      (status, "text/plain", Array((message + "\n").utf8))
    }
    switch method {
    case .GET where name.isEmpty:
      return text(.ok, Failpoints.configured().map { "\($0)=\($1)" }.joined(separator: "\n"))
    case .PUT where !name.isEmpty:
      do {
        try Failpoints.set(name, content.trimmingCharacters(in: .whitespacesAndNewlines))
        return text(.ok, "set \(name)")
      } catch {
        return text(.badRequest, "\(error)")
      }
    case .DELETE where !name.isEmpty:
      Failpoints.remove(name)
      return text(.ok, "removed \(name)")
    default:
      return text(.methodNotAllowed, "PUT or DELETE /fail/<name>, or GET /fail")
    }
  }
}
