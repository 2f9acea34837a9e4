import Foundation
import Scheduler
import TOMLKit

/// Everything the server is configured with: flags override the TOML file, which overrides
/// the defaults.
///
/// The file uses TinyKV's scheduler names:
/// ```toml
/// name = "scheduler-1"
/// data-dir = "/var/lib/tinyscheduler"
/// client-urls = "http://127.0.0.1:2379"
/// tso-save-interval = "3s"
///
/// [log]
/// level = "info"
///
/// [schedule]
/// max-store-down-time = "30m"
/// leader-schedule-limit = 4
/// region-schedule-limit = 4
/// replica-schedule-limit = 64
/// schedule-interval = "100ms"
/// enable-balance-region = true
/// enable-balance-leader = true
///
/// [replication]
/// max-replicas = 3
/// ```
struct ServerSettings {
  struct InvalidSetting: Error, CustomStringConvertible {
    var description: String
  }

  var name = "tinyscheduler"
  var dataDir: String?
  var clientURLs = "http://127.0.0.1:2379"
  var logLevel = "info"
  var scheduler = SchedulerConfig()

  mutating func load(tomlFile path: String) throws {
    let text = try String(contentsOfFile: path, encoding: .utf8)
    let table = try TOMLTable(string: text)
    if let value = table["name"]?.string { name = value }
    if let value = table["data-dir"]?.string { dataDir = value }
    if let value = table["client-urls"]?.string { clientURLs = value }
    if let value = table["tso-save-interval"] {
      scheduler.tsoSaveWindowMillis = try millis(value, "tso-save-interval")
    }
    if let value = table["log"]?.table?["level"]?.string { logLevel = value }
    if let schedule = table["schedule"]?.table {
      if let value = schedule["max-store-down-time"] {
        scheduler.storeDownMillis = try millis(value, "max-store-down-time")
      }
      if let value = schedule["schedule-interval"] {
        scheduler.scheduleIntervalMillis = try millis(value, "schedule-interval")
      }
      if let value = schedule["leader-schedule-limit"]?.int {
        scheduler.leaderScheduleLimit = value
      }
      if let value = schedule["region-schedule-limit"]?.int {
        scheduler.regionScheduleLimit = value
      }
      if let value = schedule["replica-schedule-limit"]?.int {
        scheduler.replicaScheduleLimit = value
      }
      if let value = schedule["enable-balance-region"]?.bool { scheduler.balanceRegion = value }
      if let value = schedule["enable-balance-leader"]?.bool { scheduler.balanceLeader = value }
    }
    if let value = table["replication"]?.table?["max-replicas"]?.int {
      guard value > 0, value < 100 else {
        throw InvalidSetting(description: "max-replicas must be 1...99")
      }
      scheduler.maxReplicas = UInt32(value)
    }
  }

  /// A duration such as "30m", "10s", "500ms" or "1h" (or an integer of milliseconds).
  private func millis(_ value: any TOMLValueConvertible, _ key: String) throws -> Int64 {
    if let number = value.int { return Int64(number) }
    guard let text = value.string else {
      throw InvalidSetting(description: "\(key) must be a duration like \"10s\"")
    }
    let units: [(String, Int64)] = [("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000)]
    for (suffix, scale) in units where text.hasSuffix(suffix) {
      if let amount = Int64(text.dropLast(suffix.count)), amount >= 0 { return amount * scale }
    }
    throw InvalidSetting(description: "\(key): cannot read duration \"\(text)\"")
  }
}
