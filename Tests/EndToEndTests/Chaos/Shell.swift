import Foundation
import TestSupport

/// Runs the system tools the network namespaces need (`ip`, `nft`, `tc`): short commands,
/// waited for.
enum Shell {
  /// Where `tool` is installed (the sbin folders first: they are not always on a test's PATH),
  /// or nil.
  static func find(_ tool: String) -> String? {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? ""
    let folders =
      ["/usr/sbin", "/sbin", "/usr/bin", "/bin"] + path.split(separator: ":").map(String.init)
    return folders.map { "\($0)/\(tool)" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// Runs `arguments[0]` (found with ``find(_:)``) with the rest; returns its output.
  /// - Throws: `TestFailure` with the command and its error output if it fails.
  @discardableResult
  static func run(_ arguments: [String], input: String? = nil) throws -> String {
    guard let tool = arguments.first, let executable = find(tool) else {
      throw TestFailure("\(arguments.first ?? "(nothing)") not found")
    }
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = Array(arguments.dropFirst())
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    let stdin = Pipe()
    if input != nil { process.standardInput = stdin }
    try process.run()
    if let input {
      stdin.fileHandleForWriting.write(Data(input.utf8))
      try stdin.fileHandleForWriting.close()
    }
    let out = output.fileHandleForReading.readDataToEndOfFile()
    let err = errors.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    guard process.terminationStatus == 0 else {
      throw TestFailure(
        "`\(arguments.joined(separator: " "))` failed (\(process.terminationStatus)): "
          + String(decoding: err, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// ``run(_:input:)`` for teardown: a failure is ignored (the thing may already be gone).
  static func attempt(_ arguments: [String]) {
    _ = try? run(arguments)
  }
}
