import ConfigFile
import Foundation
import Scheduler

/// Everything the server is configured with: flags override the TOML file, which overrides
/// the defaults.
///
/// The file uses TinyKV's scheduler names:
/// ```toml
/// name = "scheduler-1"
/// data-dir = "/var/lib/tinyscheduler"
/// client-urls = "http://127.0.0.1:2379"
/// advertise-client-urls = "http://10.0.0.5:2379"   # default: client-urls
/// status-addr = "127.0.0.1:2381"   # HTTP /metrics and /health; "" turns it off
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
  var name = "tinyscheduler"
  var dataDir: String?
  var clientURLs = "http://127.0.0.1:2379"
  /// What `GetMembers` tells clients to dial; `nil` means `clientURLs`.
  var advertiseClientURLs: String?
  var statusAddr = "127.0.0.1:2381"
  var logLevel = "info"
  var scheduler = SchedulerConfig()

  /// Reads the file at `path` over the current values.
  /// - Throws: `ConfigError` for an unreadable file, a value of the wrong kind, or an unknown
  ///   setting.
  mutating func load(tomlFile path: String) throws {
    let file = try ConfigTable(contentsOf: path)
    if let value = try file.string("name") { name = value }
    if let value = try file.string("data-dir") { dataDir = value }
    if let value = try file.string("client-urls") { clientURLs = value }
    if let value = try file.string("advertise-client-urls") { advertiseClientURLs = value }
    if let value = try file.string("status-addr") { statusAddr = value }
    if let value = try file.duration("tso-save-interval") {
      scheduler.tsoSaveWindowMillis = value.milliseconds
    }
    if let value = try file.table("log")?.string("level") { logLevel = value }
    if let schedule = try file.table("schedule") {
      if let value = try schedule.duration("max-store-down-time") {
        scheduler.storeDownMillis = value.milliseconds
      }
      if let value = try schedule.duration("schedule-interval") {
        scheduler.scheduleIntervalMillis = value.milliseconds
      }
      if let value = try schedule.int("leader-schedule-limit") {
        scheduler.leaderScheduleLimit = value
      }
      if let value = try schedule.int("region-schedule-limit") {
        scheduler.regionScheduleLimit = value
      }
      if let value = try schedule.int("replica-schedule-limit") {
        scheduler.replicaScheduleLimit = value
      }
      if let value = try schedule.bool("enable-balance-region") { scheduler.balanceRegion = value }
      if let value = try schedule.bool("enable-balance-leader") { scheduler.balanceLeader = value }
    }
    if let value = try file.table("replication")?.int("max-replicas") {
      guard value > 0, value < 100 else { throw ConfigError("max-replicas must be 1...99") }
      scheduler.maxReplicas = UInt32(value)
    }
    try file.rejectUnknownKeys()
  }
}

extension ServerSettings {
  /// The URLs clients are told to dial: `advertise-client-urls`, else `client-urls` with a
  /// wildcard host (`0.0.0.0`, `[::]`) replaced by `127.0.0.1`, since a client cannot dial a
  /// wildcard (set `advertise-client-urls` to be reached from other machines).
  var advertisedClientURLs: [String] {
    if let advertiseClientURLs {
      return advertiseClientURLs.split(separator: ",").map {
        $0.trimmingCharacters(in: .whitespaces)
      }
    }
    return clientURLs.split(separator: ",").map {
      $0.trimmingCharacters(in: .whitespaces)
        .replacingOccurrences(of: "//0.0.0.0:", with: "//127.0.0.1:")
        .replacingOccurrences(of: "//[::]:", with: "//127.0.0.1:")
    }
  }
}

extension Duration {
  /// Whole milliseconds.
  fileprivate var milliseconds: Int64 {
    components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
  }
}
