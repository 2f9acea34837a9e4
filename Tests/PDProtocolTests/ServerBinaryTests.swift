import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import TestSupport
import Testing
import TiKVGRPC
import TiKVProto
import TinyKVGRPC
import TinyKVProto

/// `tinyscheduler-server` itself: both protocols on one port, and the client URLs PD's
/// GetMembers hands out are ones a client can dial.
@Suite("tinyscheduler-server serves pdpb.PD", .serialized)
struct ServerBinaryTests {
  /// Starts the binary with `arguments` on a free port, then runs `body` with PD's and TinyKV's
  /// clients connected to it.
  func withServer(
    _ arguments: (Int) -> [String],
    _ body: (Int, PDClient, Schedulerpb_Scheduler.Client<HTTP2ClientTransport.Posix>) async throws
      -> Void
  ) async throws {
    let directory = try TemporaryDirectory("pd-binary")
    let port = try FreePort.allocate()
    let server = try ServerProcess(
      product: "tinyscheduler-server",
      arguments: arguments(port) + [
        "--data-dir", directory.appending("data"), "--status-addr", "", "--loglevel", "warning",
      ],
      port: port, logPath: directory.appending("scheduler.log"))
    defer { _ = server.stop() }
    try await server.waitUntilListening()
    try await withGRPCClient(
      transport: .http2NIOPosix(
        target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: .plaintext)
    ) { client in
      try await body(
        port, PDClient(wrapping: client), Schedulerpb_Scheduler.Client(wrapping: client))
    }
  }

  @Test("on 0.0.0.0, GetMembers advertises 127.0.0.1; TinyKV's service answers on the same port")
  func wildcardHost() async throws {
    try await withServer({ ["--client-urls", "http://0.0.0.0:\($0)"] }) { port, pd, tinykv in
      let members = try await pd.getMembers(TiKVPdpb_GetMembersRequest())
      #expect(members.leader.clientUrls == ["http://127.0.0.1:\(port)"])
      #expect(!members.header.hasError)
      let theirs = try await tinykv.getMembers(Schedulerpb_GetMembersRequest())
      #expect(theirs.header.clusterID == members.header.clusterID)
      #expect(theirs.leader.memberID == members.leader.memberID)
    }
  }

  @Test("--advertise-client-urls is what GetMembers hands out")
  func advertised() async throws {
    try await withServer({
      [
        "--client-urls", "http://127.0.0.1:\($0)", "--advertise-client-urls",
        "http://10.9.8.7:\($0)",
      ]
    }) { port, pd, _ in
      let members = try await pd.getMembers(TiKVPdpb_GetMembersRequest())
      #expect(members.leader.clientUrls == ["http://10.9.8.7:\(port)"])
      #expect(members.members.map(\.clientUrls) == [["http://10.9.8.7:\(port)"]])
    }
  }
}
