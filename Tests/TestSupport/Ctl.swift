import Foundation

/// Runs `tinykv-ctl` with `arguments` (standard error discarded) and waits for it.
/// - Returns: its exit status and standard output.
public func runCtl(_ arguments: [String]) throws -> (status: Int32, output: String) {
  let process = Process()
  process.executableURL = URL(fileURLWithPath: try ServerProcess.binary("tinykv-ctl"))
  process.arguments = arguments
  let pipe = Pipe()
  process.standardOutput = pipe
  process.standardError = FileHandle.nullDevice
  try process.run()
  let data = pipe.fileHandleForReading.readDataToEndOfFile()
  process.waitUntilExit()
  return (process.terminationStatus, String(decoding: data, as: UTF8.self))
}
