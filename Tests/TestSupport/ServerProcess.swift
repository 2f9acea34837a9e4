import Foundation

/// A product of this package (such as `tinykv-server`) running as a child process, for
/// end-to-end tests. Its output goes to a log file that failures can show.
public final class ServerProcess: @unchecked Sendable {
  // @unchecked: `process` is only touched through Foundation's thread-safe Process API.
  private let process: Process
  public let port: Int
  public let logPath: String

  /// Starts `product` with `arguments` (and `environment` added to this process's); `port` is
  /// where it will listen.
  /// - Throws: `TestFailure` if the binary was not built (run `swift build` first).
  public init(
    product: String, arguments: [String], port: Int, logPath: String,
    environment: [String: String] = [:]
  ) throws {
    let binary = try Self.binary(product)
    process = Process()
    process.executableURL = URL(fileURLWithPath: binary)
    process.arguments = arguments
    if !environment.isEmpty {
      process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    }
    guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
      throw TestFailure("cannot create \(logPath)")
    }
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    process.standardOutput = log
    process.standardError = log
    self.port = port
    self.logPath = logPath
    try process.run()
  }

  /// Where the build put `product`: beside the test bundle.
  public static func binary(_ product: String) throws -> String {
    var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    // swift-testing may run from inside the .xctest bundle on some platforms.
    if folder.pathExtension == "xctest" { folder = folder.deletingLastPathComponent() }
    for candidate in [folder, folder.deletingLastPathComponent()] {
      let path = candidate.appendingPathComponent(product).path
      if FileManager.default.isExecutableFile(atPath: path) { return path }
    }
    throw TestFailure("\(product) not found beside \(folder.path); run `swift build` first")
  }

  /// Waits until the process accepts connections on its port.
  public func waitUntilListening(timeout: Duration = .seconds(30)) async throws {
    do {
      try await eventually("\(logPath) to listen on port \(port)", timeout: timeout) {
        guard process.isRunning else {
          throw TestFailure("the process exited (\(process.terminationStatus)): \(log())")
        }
        return FreePort.isListening(port)
      }
    } catch let failure as TestFailure {
      throw TestFailure("\(failure.description)\n\(log())")
    }
  }

  /// Sends `signal` and waits for the process to exit; returns its exit status.
  @discardableResult
  public func stop(signal: Int32 = SIGTERM) -> Int32 {
    if process.isRunning { kill(process.processIdentifier, signal) }
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// Sends `signal` without waiting (SIGSTOP and SIGCONT pause and resume the process).
  public func send(_ signal: Int32) {
    if process.isRunning { kill(process.processIdentifier, signal) }
  }

  /// Waits for the process to exit by itself; returns its exit status.
  public func waitForExit() -> Int32 {
    process.waitUntilExit()
    return process.terminationStatus
  }

  /// What the process has written so far.
  public func log() -> String {
    (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? "(no log)"
  }

  public var isRunning: Bool { process.isRunning }

  deinit {
    if process.isRunning {
      kill(process.processIdentifier, SIGKILL)
      process.waitUntilExit()
    }
  }
}
