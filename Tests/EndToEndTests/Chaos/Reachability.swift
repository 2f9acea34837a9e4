import Foundation
import TestSupport

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif
#if canImport(Glibc)
  import Glibc
#endif

/// Talking to a chaos cluster's servers at any IPv4 address (loopback, or a network namespace's
/// address across the bridge), never waiting long on an unreachable one.
enum Reachability {
  /// Whether something accepts TCP connections on `host:port` within `timeout` (a connect to
  /// an address whose link is down would otherwise wait for the kernel's minutes of retries).
  static func isListening(host: String, port: Int, timeout: Duration = .milliseconds(500))
    -> Bool
  {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr(host)
    let connected = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    if connected == 0 { return true }
    guard errno == EINPROGRESS else { return false }
    var poller = pollfd(fd: fd, events: Int16(POLLOUT), revents: 0)
    let milliseconds =
      Int32(timeout.components.seconds * 1000)
      + Int32(timeout.components.attoseconds / 1_000_000_000_000_000)
    guard poll(&poller, 1, milliseconds) == 1 else { return false }
    var error: Int32 = 0
    var length = socklen_t(MemoryLayout<Int32>.size)
    guard getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &length) == 0 else { return false }
    return error == 0
  }

  /// An HTTP request to `host:port` (a store's status address) that gives up after `timeout`.
  static func http(
    host: String, port: Int, _ method: String, _ path: String, body: String = "",
    timeout: TimeInterval = 5
  ) async throws -> (status: Int, body: String) {
    guard let url = URL(string: "http://\(host):\(port)\(path)") else {
      throw TestFailure("bad path \(path)")
    }
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.httpMethod = method
    request.httpBody = Data(body.utf8)
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
  }
}
