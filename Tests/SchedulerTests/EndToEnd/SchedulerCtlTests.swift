import Foundation
import TestSupport
import Testing

/// `tinykv-ctl scheduler ...` against the real scheduler binary.
@Suite("tinykv-ctl scheduler")
struct SchedulerCtlTests {
  @Test("tso and config print text or JSON; commands that need bootstrap fail cleanly before it")
  func tsoAndConfig() async throws {
    let directory = try TemporaryDirectory("scheduler-ctl")
    let port = try FreePort.allocate()
    let server = try await startScheduler(port: port, directory: directory)
    let address = ["--scheduler", "127.0.0.1:\(port)"]

    let text = try runCtl(["scheduler", "tso"] + address)
    #expect(text.status == 0)
    #expect(text.output.contains("physical"))

    let json = try runCtl(["scheduler", "tso", "--json"] + address)
    #expect(json.status == 0)
    let object = try JSONSerialization.jsonObject(with: Data(json.output.utf8)) as? [String: Any]
    let timestamp = try #require(object?["timestamp"] as? UInt64)
    let physical = try #require(object?["physical"] as? Int64)
    #expect(Int64(timestamp >> 18) == physical)

    let config = try runCtl(["scheduler", "config"] + address)
    #expect(config.status != 0)  // not bootstrapped yet
    #expect(server.stop() == 0)
  }
}
