import Foundation

/// A server the playground started: one of this package's executables as a child process,
/// its output in a log file.
final class ChildProcess: @unchecked Sendable {
  // @unchecked: `process` is only touched through Foundation's thread-safe Process API.
  private let process: Process
  /// What it is, for messages ("scheduler", "store 2").
  let name: String
  /// Where its output goes.
  let logPath: String

  /// Starts `executable` (a sibling of this program) with `arguments`.
  /// - Throws: if the executable is missing or cannot be started.
  init(name: String, executable: String, arguments: [String], logPath: String) throws {
    let folder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
      .deletingLastPathComponent()
    let path = folder.appendingPathComponent(executable).path
    guard FileManager.default.isExecutableFile(atPath: path) else {
      throw PlaygroundError("\(executable) is not beside \(folder.path); build all products first")
    }
    guard FileManager.default.createFile(atPath: logPath, contents: nil) else {
      throw PlaygroundError("cannot create \(logPath)")
    }
    let log = try FileHandle(forWritingTo: URL(fileURLWithPath: logPath))
    process = Process()
    process.executableURL = URL(fileURLWithPath: path)
    process.arguments = arguments
    process.standardOutput = log
    process.standardError = log
    process.standardInput = FileHandle.nullDevice
    self.name = name
    self.logPath = logPath
    try process.run()
  }

  var isRunning: Bool { process.isRunning }
  var exitStatus: Int32 { process.terminationStatus }

  /// Asks the process to stop (SIGTERM) and waits up to `grace`; then kills it (SIGKILL).
  /// - Returns: whether it stopped by itself within `grace`.
  @discardableResult
  func stop(grace: Duration = .seconds(10)) async -> Bool {
    guard process.isRunning else { return true }
    kill(process.processIdentifier, SIGTERM)
    let deadline = ContinuousClock.now + grace
    while process.isRunning, ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(20))  // polls the exit, with a deadline
    }
    guard process.isRunning else { return true }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    return false
  }

  /// The last `lines` lines of its log, for error messages.
  func logTail(_ lines: Int = 5) -> String {
    let text = (try? String(contentsOfFile: logPath, encoding: .utf8)) ?? ""
    return text.split(separator: "\n").suffix(lines).joined(separator: "\n")
  }
}

/// Why the playground could not start or had to stop.
struct PlaygroundError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }
}
