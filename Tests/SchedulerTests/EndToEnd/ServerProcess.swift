import Foundation

/// A `tinyscheduler-server` process started from the build folder, for end-to-end tests.
/// (Until the shared test-support target lands, the few helpers it needs live here.)
final class ServerProcess {
  /// Where SwiftPM put the products this test bundle was built with.
  static let buildFolder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
  static let binary = buildFolder.appendingPathComponent("tinyscheduler-server")
  static var isBuilt: Bool { FileManager.default.isExecutableFile(atPath: binary.path) }

  let port: Int
  let dataDir: String
  private let process = Process()

  /// Starts the server and waits (with a deadline) until its port accepts connections.
  init(port: Int, dataDir: String) throws {
    self.port = port
    self.dataDir = dataDir
    process.executableURL = Self.binary
    process.arguments = [
      "--client-urls", "http://127.0.0.1:\(port)", "--data-dir", dataDir, "--loglevel", "warning",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    let deadline = Date().addingTimeInterval(20)
    while !Self.accepts(port: port) {
      guard process.isRunning, Date() < deadline else {
        kill()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "server did not listen on \(port)"])
      }
      usleep(20_000)
    }
  }

  /// `kill -9`, then waits for the process to be gone.
  func kill() {
    if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    process.waitUntilExit()
  }

  deinit { kill() }

  /// Whether something accepts TCP connections on 127.0.0.1:`port`.
  static func accepts(port: Int) -> Bool {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return false }
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    return withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0
      }
    }
  }

  /// A port nothing listens on right now (the kernel's pick).
  static func freePort() -> Int {
    let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    defer { close(fd) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = 0
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    _ = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    _ = withUnsafeMutablePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
    }
    return Int(UInt16(bigEndian: address.sin_port))
  }
}
