import Coprocessor
import Foundation
import SQLParser

/// The `SHOW` statements about the server and the session: variables, status, warnings,
/// engines, character sets, collations and the process list, with MySQL's column names.
enum ShowServer {
  /// SHOW [GLOBAL|SESSION] VARIABLES: `Variable_name`, `Value` (there are no global values
  /// apart from the session's: both scopes show the session's).
  static func variables(_ variables: [(name: String, value: String)]) -> ShowResult {
    ShowResult(text: ["Variable_name", "Value"], rows: variables.map { [$0.name, $0.value] })
  }

  /// SHOW STATUS: a few counters clients look at. This engine sees one session, so it counts
  /// one connection.
  static func status() -> ShowResult {
    ShowResult(
      text: ["Variable_name", "Value"],
      rows: [
        ["Threads_connected", "1"], ["Threads_running", "1"],
        ["Uptime", String(ProcessUptime.seconds)],
      ])
  }

  /// SHOW WARNINGS / SHOW ERRORS: `Level`, `Code`, `Message` of `warnings` (the errors only
  /// for `errorsOnly`), the first `limit` ones after `offset`.
  static func warnings(
    _ warnings: [SQLWarning], errorsOnly: Bool, offset: Int = 0, limit: Int = .max
  ) -> ShowResult {
    let shown = warnings.filter { !errorsOnly || $0.level == "Error" }.dropFirst(offset)
      .prefix(limit)
    return ShowResult(
      columns: [.init(name: "Level"), .init(name: "Code", numeric: true), .init(name: "Message")],
      rows: shown.map {
        [ShowResult.text($0.level), .int(Int64($0.code)), ShowResult.text($0.message)]
      })
  }

  /// SHOW ENGINES: InnoDB, the only one (every table lives in the transactional store).
  static func engines() -> ShowResult {
    ShowResult(
      text: ["Engine", "Support", "Comment", "Transactions", "XA", "Savepoints"],
      rows: [
        [
          "InnoDB", "DEFAULT", "Tables in TinyKV: transactions, row-level locking", "YES", "NO",
          "NO",
        ]
      ])
  }

  /// SHOW CHARACTER SET: utf8mb4 and binary.
  static func charsets() -> ShowResult {
    ShowResult(
      columns: [
        .init(name: "Charset"), .init(name: "Description"), .init(name: "Default collation"),
        .init(name: "Maxlen", numeric: true),
      ],
      rows: [
        [
          ShowResult.text("binary"), ShowResult.text("Binary pseudo charset"),
          ShowResult.text("binary"), .int(1),
        ],
        [
          ShowResult.text("utf8mb4"), ShowResult.text("UTF-8 Unicode"),
          ShowResult.text("utf8mb4_bin"), .int(4),
        ],
      ])
  }

  /// SHOW COLLATION: utf8mb4_bin and binary.
  static func collations() -> ShowResult {
    ShowResult(
      columns: [
        .init(name: "Collation"), .init(name: "Charset"), .init(name: "Id", numeric: true),
        .init(name: "Default"), .init(name: "Compiled"), .init(name: "Sortlen", numeric: true),
        .init(name: "Pad_attribute"),
      ],
      rows: [
        [
          ShowResult.text("binary"), ShowResult.text("binary"), .int(63), ShowResult.text("Yes"),
          ShowResult.text("Yes"), .int(1), ShowResult.text("NO PAD"),
        ],
        [
          ShowResult.text("utf8mb4_bin"), ShowResult.text("utf8mb4"), .int(46),
          ShowResult.text("Yes"), ShowResult.text("Yes"), .int(1), ShowResult.text("PAD SPACE"),
        ],
      ])
  }

  /// SHOW [FULL] PROCESSLIST: this session only (the engine does not see the others).
  static func processList(
    id: UInt32, user: String, database: String?, statement: String
  ) -> ShowResult {
    ShowResult(
      columns: [
        .init(name: "Id", numeric: true), .init(name: "User"), .init(name: "Host"),
        .init(name: "db"), .init(name: "Command"), .init(name: "Time", numeric: true),
        .init(name: "State"), .init(name: "Info"),
      ],
      rows: [
        [
          .int(Int64(id)), ShowResult.text(user), ShowResult.text("localhost"),
          ShowResult.text(database), ShowResult.text("Query"), .int(0),
          ShowResult.text("autocommit"), ShowResult.text(statement),
        ]
      ])
  }
}

/// How long this process has run, for `Uptime`: from `/proc` on Linux, else since the first
/// time it was asked.
enum ProcessUptime {
  private static let firstAsked = Date()

  /// Whole seconds.
  static var seconds: Int64 {
    #if os(Linux)
      if let uptime = linuxSeconds { return uptime }
    #endif
    return Int64(Date().timeIntervalSince(firstAsked))
  }

  #if os(Linux)
    /// The system's uptime less the process's start time (field 22 of `/proc/self/stat`, in
    /// clock ticks since boot).
    private static var linuxSeconds: Int64? {
      guard let stat = try? String(contentsOfFile: "/proc/self/stat", encoding: .utf8),
        let system = try? String(contentsOfFile: "/proc/uptime", encoding: .utf8),
        let close = stat.lastIndex(of: ")"),
        let systemSeconds = system.split(separator: " ").first.flatMap({ Double($0) })
      else { return nil }
      // The fields after the command's name start with field 3.
      let fields = stat[stat.index(after: close)...].split(separator: " ")
      guard fields.count > 19, let ticks = Double(fields[19]) else { return nil }
      let ticksPerSecond = Double(sysconf(Int32(_SC_CLK_TCK)))
      return Int64(systemSeconds - ticks / ticksPerSecond)
    }
  #endif
}
