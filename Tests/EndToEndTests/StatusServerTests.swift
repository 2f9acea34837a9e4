import Client
import Foundation
import TestSupport
import Testing

/// The status address of a real `tinykv-server`: Prometheus metrics and a health check.
@Suite("tinykv-server status address", .serialized)
struct StatusServerTests {
  @Test("/metrics counts RPCs by method and code and shows engine gauges; /health answers ok; no /fail")
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
    let (code, metrics) = try await httpGet(port: statusPort, "/metrics")
    #expect(code == 200)
    #expect(metrics.contains(#"tinykv_grpc_requests_total{method="RawPut",code="ok"} 3"#))
    #expect(metrics.contains(#"tinykv_grpc_requests_total{method="RawGet",code="ok"} 1"#))
    #expect(metrics.contains(#"tinykv_grpc_request_duration_seconds_count{method="RawPut"} 3"#))
    #expect(metrics.contains(#"tinykv_engine_keys_estimate{engine="kv"}"#))
    #expect(metrics.contains("tinykv_storage_syncs"))
    #expect(try await httpGet(port: statusPort, "/health") == (200, "ok\n"))
    #expect(try await httpGet(port: statusPort, "/nothing-here").0 == 404)
    // Failpoints are not served without TINYKV_FAILPOINTS in the server's environment.
    #expect(try await httpRequest(port: statusPort, "PUT", "/fail/x", body: "return").0 == 405)
  }
}
