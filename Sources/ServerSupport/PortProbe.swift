import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Asks whether a local server is up yet.
public enum PortProbe {
  /// Whether something accepts TCP connections on 127.0.0.1:`port`.
  public static func isListening(_ port: Int) -> Bool {
    onLoopback(port) { fd, address, length in connect(fd, address, length) == 0 }
  }

  /// Whether 127.0.0.1:`port` can be bound now (nothing holds it).
  public static func canBind(_ port: Int) -> Bool {
    onLoopback(port) { fd, address, length in bind(fd, address, length) == 0 }
  }

  /// `body` with a fresh TCP socket and the address 127.0.0.1:`port`; false if no socket.
  private static func onLoopback(
    _ port: Int, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> Bool
  ) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
  }
}
