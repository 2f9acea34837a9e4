import Foundation
import TestSupport
import Testing

/// `tinykv-ctl scheduler ...` against the real scheduler binary.
@Suite("tinykv-ctl scheduler")
struct SchedulerCtlTests {
  /// Runs `tinykv-ctl` with `arguments`; returns its exit status and standard output.
  func ctl(_ arguments: [String]) throws -> (status: Int32, output: String) {
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

  @Test("tso and config print text or JSON; commands that need bootstrap fail cleanly before it")
  func tsoAndConfig() async throws {
    let directory = try TemporaryDirectory("scheduler-ctl")
    let port = try FreePort.allocate()
    let server = try ServerProcess(
      product: "tinyscheduler-server",
      arguments: [
        "--client-urls", "http://127.0.0.1:\(port)", "--data-dir", directory.appending("data"),
        "--status-addr", "",
      ],
      port: port, logPath: directory.appending("scheduler.log"))
    try await server.waitUntilListening()
    let address = ["--scheduler", "127.0.0.1:\(port)"]

    let text = try ctl(["scheduler", "tso"] + address)
    #expect(text.status == 0)
    #expect(text.output.contains("physical"))

    let json = try ctl(["scheduler", "tso", "--json"] + address)
    #expect(json.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
    let timestamp = try #require(object?["timestamp"] as? UInt64)
    let physical = try #require(object?["physical"] as? Int64)
    #expect(Int64(timestamp >> 18) == physical)

    let config = try ctl(["scheduler", "config"] + address)
    #expect(config.status != 0)  // not bootstrapped yet
    #expect(server.stop() == 0)
  }
}
