import Foundation
import GRPCCore
import GRPCNIOTransportHTTP2
import Security
import Synchronization
import Testing

/// A gRPC server over mutual TLS on a loopback port, and clients good and bad.
@Suite struct MutualTLSTests {
  /// The cluster's CA, the server's material (allowing `client` only) and a client's files.
  struct Cluster {
    let ca: TestCertificateAuthority
    let server: TLSMaterial
    let folder: URL

    init(folder: URL) throws {
      ca = try TestCertificateAuthority()
      self.folder = folder
      var settings = try ca.write(
        ca.issue(commonName: "server"), name: "server", to: folder.appendingPathComponent("server"))
      settings.allowedCommonNames = ["client"]
      server = try #require(try TLSMaterial.load(settings, dialect: .tikv))
    }

    /// The material of a client certificate `leaf` signed by `authority`, trusting the cluster's CA.
    func client(_ leaf: TestCertificate, by authority: TestCertificateAuthority? = nil) throws
      -> HTTP2ClientTransport.Posix.TransportSecurity
    {
      let settings = try (authority ?? ca).write(
        leaf, name: "client", to: folder.appendingPathComponent(UUID().uuidString))
      let material = try #require(try TLSMaterial.load(settings, dialect: .tikv))
      return .mTLS(
        certificateChain: [.bytes(material.certificatePEM, format: .pem)],
        privateKey: .bytes(material.keyPEM, format: .pem)
      ) { config in
        config.trustRoots = .certificates([.bytes(server.caPEM, format: .pem)])
        config.serverCertificateVerification = .noHostnameVerification
      }
    }
  }

  /// Serves ``EchoService`` with `material` on a free loopback port while `body` runs; returns
  /// what `body` returns and the refusals the server saw.
  func withServer<T: Sendable>(
    _ material: TLSMaterial, _ body: (Int) async throws -> T
  ) async throws -> (T, [PeerRefusal]) {
    let refusals = Mutex<[PeerRefusal]>([])
    let server = GRPCServer(
      transport: .http2NIOPosix(
        address: .ipv4(host: "127.0.0.1", port: 0),
        transportSecurity: material.serverSecurity { refusal in
          refusals.withLock { $0.append(refusal) }
        },
        config: .defaults { $0.connection.maxGraceTime = .milliseconds(10) }),
      services: [EchoService()])
    let serving = Task { try await server.serve() }
    defer {
      server.beginGracefulShutdown()
    }
    let port = try #require(try await server.listeningAddress?.ipv4?.port)
    let result = try await body(port)
    server.beginGracefulShutdown()
    _ = await serving.result
    return (result, refusals.withLock { $0 })
  }

  /// One echo call to `port` with `security` (or `method`); throws what the call fails with.
  func echo(
    port: Int, _ security: HTTP2ClientTransport.Posix.TransportSecurity,
    method: MethodDescriptor = EchoService.method
  ) async throws -> [UInt8] {
    try await withGRPCClient(
      transport: .http2NIOPosix(
        target: .ipv4(address: "127.0.0.1", port: port), transportSecurity: security)
    ) { client in
      var options = CallOptions.defaults
      options.timeout = .seconds(5)
      options.waitForReady = false
      return try await client.unary(
        request: ClientRequest(message: [1, 2, 3]), descriptor: method,
        serializer: BytesCoder(), deserializer: BytesCoder(), options: options
      ) { try $0.message }
    }
  }

  /// Runs `echo` with `security` against a fresh server, expects it to fail, and returns the
  /// error and the server's refusals.
  func refused(
    _ cluster: Cluster, _ security: HTTP2ClientTransport.Posix.TransportSecurity
  ) async throws -> (any Error, [PeerRefusal]) {
    let (error, refusals) = try await withServer(cluster.server) { port in
      do {
        let reply = try await echo(port: port, security)
        Issue.record("the call got through: \(reply)")
        return "" as String
      } catch {
        return "\(error)"
      }
    }
    return (TestError(error), refusals)
  }

  @Test func aGoodCertificateGetsThrough() async throws {
    try await withTemporaryFolder { folder in
      let cluster = try Cluster(folder: folder)
      let client = try cluster.client(cluster.ca.issue(commonName: "client"))
      let (reply, refusals) = try await withServer(cluster.server) { port in
        try await echo(port: port, client)
      }
      #expect(reply == [1, 2, 3])
      #expect(refusals.isEmpty)
    }
  }

  @Test func theServerSeesTheVerifiedPeerCertificate() async throws {
    try await withTemporaryFolder { folder in
      let cluster = try Cluster(folder: folder)
      let client = try cluster.client(cluster.ca.issue(commonName: "client"))
      let (reply, _) = try await withServer(cluster.server) { port in
        try await echo(port: port, client, method: EchoService.peer)
      }
      #expect(String(decoding: reply, as: UTF8.self) == "client,localhost")
    }
  }

  @Test func aClientWithoutCertificateIsRefused() async throws {
    try await withTemporaryFolder { folder in
      let cluster = try Cluster(folder: folder)
      let caPEM = cluster.server.caPEM
      _ = try await refused(
        cluster,
        .tls { config in
          config.trustRoots = .certificates([.bytes(caPEM, format: .pem)])
          config.serverCertificateVerification = .noHostnameVerification
        })
    }
  }

  @Test func aPlainTextClientIsRefused() async throws {
    try await withTemporaryFolder { folder in
      _ = try await refused(try Cluster(folder: folder), .plaintext)
    }
  }

  @Test func aCertificateOfAnotherCAIsRefused() async throws {
    try await withTemporaryFolder { folder in
      let cluster = try Cluster(folder: folder)
      let other = try TestCertificateAuthority(commonName: "another CA")
      let (_, refusals) = try await refused(
        cluster, try cluster.client(other.issue(commonName: "client"), by: other))
      #expect(refusals.count == 1)
      if case .untrusted = refusals.first {} else { Issue.record("\(refusals)") }
    }
  }

  @Test func anExpiredCertificateIsRefused() async throws {
    try await withTemporaryFolder { folder in
      let cluster = try Cluster(folder: folder)
      let expired = try cluster.ca.issue(
        commonName: "client", notValidBefore: Date() - 7200, notValidAfter: Date() - 3600)
      let (_, refusals) = try await refused(cluster, try cluster.client(expired))
      #expect(refusals.count == 1)
      if case .untrusted = refusals.first {} else { Issue.record("\(refusals)") }
    }
  }

  @Test func aNameNotAllowedIsRefused() async throws {
    try await withTemporaryFolder { folder in
      let cluster = try Cluster(folder: folder)
      let (_, refusals) = try await refused(
        cluster, try cluster.client(cluster.ca.issue(commonName: "intruder")))
      #expect(refusals == [.nameNotAllowed(names: ["intruder", "localhost"])])
    }
  }
}

/// An error described by a string, as a call's failure is seen.
struct TestError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
