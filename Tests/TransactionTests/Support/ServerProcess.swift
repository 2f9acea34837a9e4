import Client
import Foundation
import TinyKVProto

#if canImport(Glibc)
  import Glibc
#endif

/// A `tinykv-server --standalone` process on a free loopback port with a temporary data folder,
/// killed and cleaned up by `stop()`.
///
/// (A minimal stand-in until the shared test-support target has one.)
final class ServerProcess {
  let endpoint: Endpoint
  let directory: URL
  private let process = Process()

  /// Starts the server built next to the test bundle and waits until it answers.
  init() async throws {
    let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
      .appendingPathComponent("tinykv-server")
    guard FileManager.default.isExecutableFile(atPath: binary.path) else {
      throw ServerProcessError("no tinykv-server at \(binary.path); run `swift build` first")
    }
    directory = FileManager.default.temporaryDirectory
      .appendingPathComponent("txn-server-\(UUID().uuidString)")
    endpoint = Endpoint(host: "127.0.0.1", port: try Self.freePort())
    process.executableURL = binary
    process.arguments = [
      "--standalone", "--addr", "\(endpoint)", "--path", directory.path, "--loglevel", "warning",
    ]
    try process.run()
    try await waitUntilServing(deadline: .now + .seconds(30))
  }

  func stop() {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    try? FileManager.default.removeItem(at: directory)
  }

  private func waitUntilServing(deadline: ContinuousClock.Instant) async throws {
    var request = Kvrpcpb_GetRequest()
    request.key = Data("ping".utf8)
    request.version = 1
    while true {
      guard process.isRunning else { throw ServerProcessError("tinykv-server exited at start") }
      do {
        _ = try await GRPCTxnRPC.connect(to: endpoint) { try await $0.get(request) }
        return
      } catch {
        guard ContinuousClock.now < deadline else {
          throw ServerProcessError("tinykv-server did not answer on \(endpoint): \(error)")
        }
        try await Task.sleep(for: .milliseconds(50))  // Polling for readiness, with a deadline.
      }
    }
  }

  /// A loopback port nobody listens on now (the kernel's pick for port 0).
  static func freePort() throws -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw ServerProcessError("socket() failed") }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
      pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
        bind(fd, socketAddress, length) == 0 && getsockname(fd, socketAddress, &length) == 0
      }
    }
    guard bound else { throw ServerProcessError("cannot bind a loopback port") }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}

struct ServerProcessError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
