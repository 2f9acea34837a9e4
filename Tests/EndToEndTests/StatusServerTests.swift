import Client
import Foundation
import TestSupport
import Testing

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// The status address of a real `tinykv-server`: Prometheus metrics and a health check.
@Suite("tinykv-server status address", .serialized)
struct StatusServerTests {
  /// The body of `GET http://127.0.0.1:<port><path>` and its status code.
  private func get(_ port: Int, _ path: String) async throws -> (Int, String) {
    let url = try #require(URL(string: "http://127.0.0.1:\(port)\(path)"))
    let (data, response) = try await URLSession.shared.data(from: url)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
  }

  @Test("/metrics counts RPCs by method and code and shows engine gauges; /health answers ok")
  func metricsAndHealth() async throws {
    let dir = try TemporaryDirectory("status")
    let port = try FreePort.allocate()
    let statusPort = try FreePort.allocate()
    let server = try ServerProcess(
      product: "tinykv-server",
      arguments: [
        "--standalone", "--addr", "127.0.0.1:\(port)", "--path", dir.appending("data"),
        "--status-addr", "127.0.0.1:\(statusPort)",
      ],
      port: port, logPath: dir.appending("server.log"))
    defer { _ = server.stop() }
    try await server.waitUntilListening()
    try await RawKVClient.connect(to: HostAndPort(host: "127.0.0.1", port: port)) { client in
      for i in 0..<3 { try await client.put(Data("k\(i)".utf8), Data("v".utf8)) }
      _ = try await client.get(Data("k0".utf8))
    }
    let (code, metrics) = try await get(statusPort, "/metrics")
    #expect(code == 200)
    #expect(metrics.contains(#"tinykv_grpc_requests_total{method="RawPut",code="ok"} 3"#))
    #expect(metrics.contains(#"tinykv_grpc_requests_total{method="RawGet",code="ok"} 1"#))
    #expect(metrics.contains(#"tinykv_grpc_request_duration_seconds_count{method="RawPut"} 3"#))
    #expect(metrics.contains(#"tinykv_engine_keys_estimate{engine="kv"}"#))
    #expect(metrics.contains("tinykv_storage_syncs"))
    #expect(try await get(statusPort, "/health") == (200, "ok\n"))
    #expect(try await get(statusPort, "/nothing-here").0 == 404)
  }
}
