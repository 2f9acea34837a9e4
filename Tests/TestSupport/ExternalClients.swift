import Foundation

/// Programs from outside the project that tests run as processes: the Python clients in the
/// venv scripts/tikv-clients-venv.sh makes (TiKV's clients, PyMySQL) and Debian's `mysql`.
/// A test that needs one is enabled where it is present or on CI, and there `#require`s it:
///
/// ```swift
/// @Test(.enabled(if: ExternalClients.venvPresent || ExternalClients.onCI, "no venv: ..."))
/// func script() async throws {
///   try #require(ExternalClients.venvPresent, "CI=true but the venv is missing")
/// ```
///
/// so a missing client skips locally and fails on CI.
public enum ExternalClients {
  /// The repository's root, from this file's path.
  public static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .deletingLastPathComponent().deletingLastPathComponent()
  /// The venv's Python.
  public static let python = root.appendingPathComponent(".build/tikv-clients-venv/bin/python")
    .path
  public static let venvPresent = FileManager.default.isExecutableFile(atPath: python)
  /// On CI (`CI=true`) a missing client is a failure, not a skip.
  public static let onCI = ProcessInfo.processInfo.environment["CI"] == "true"

  /// The path of program `name` on `PATH`, if it is there.
  public static func executable(_ name: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
    return path.split(separator: ":").map { "\($0)/\(name)" }
      .first { FileManager.default.isExecutableFile(atPath: $0) }
  }

  /// What a process printed and how it ended.
  public struct Outcome: Sendable {
    public var status: Int32
    /// Standard output, or both outputs when they went to a log file.
    public var output: String
    /// Standard error, when it did not go to the log file with the output.
    public var errors: String
  }

  /// Runs `executable` with `arguments` in `directory` and waits for it, polling, at most
  /// `timeout` (then it is terminated). With `log`, standard output and error both go to that
  /// file (left there to read); without, each is captured on its own.
  /// - Throws: `TestFailure` when a capture file cannot be made; the launch's failure.
  public static func run(
    _ executable: String, _ arguments: [String], in directory: URL? = nil,
    environment: [String: String] = [:], log: String? = nil, timeout: Duration = .seconds(480)
  ) async throws -> Outcome {
    let scratch = try TemporaryDirectory("process")
    let outputPath = log ?? scratch.appending("stdout")
    let errorPath = log ?? scratch.appending("stderr")
    for path in Set([outputPath, errorPath]) {
      guard FileManager.default.createFile(atPath: path, contents: nil) else {
        throw TestFailure("cannot create \(path)")
      }
    }
    let output = try FileHandle(forWritingTo: URL(fileURLWithPath: outputPath))
    let errors = log == nil ? try FileHandle(forWritingTo: URL(fileURLWithPath: errorPath)) : output
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = directory
    process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = output
    process.standardError = errors
    try process.run()
    let deadline = ContinuousClock.now + timeout
    while process.isRunning && ContinuousClock.now < deadline {
      try await Task.sleep(for: .milliseconds(50))
    }
    if process.isRunning { process.terminate() }
    process.waitUntilExit()
    try? output.close()
    if log == nil { try? errors.close() }
    func read(_ path: String) -> String {
      (try? String(contentsOfFile: path, encoding: .utf8)) ?? "(no output)"
    }
    return Outcome(
      status: process.terminationStatus, output: read(outputPath),
      errors: log == nil ? read(errorPath) : "")
  }
}
