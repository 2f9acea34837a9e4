import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// `tinykv-playground` with its SQL front end: it prints how to connect with `mysql`, serves SQL
/// on that port over its cluster, and SIGINT stops every process it started.
@Suite("SQLE2E: tinykv-playground serves SQL", .serialized)
struct SQLE2EPlaygroundTests {
  @Test(
    "the playground prints the mysql command, serves SELECT 1 through mysql, and SIGINT leaves no process",
    .enabled(
      if: SQLEndToEnd.mysqlPath != nil || ExternalClients.onCI,
      "no mysql client: apt-get install mariadb-client (scripts/install-deps.sh)"),
    .timeLimit(.minutes(3)))
  func playgroundServesSQL() async throws {
    try #require(SQLEndToEnd.mysqlPath != nil, "CI=true but no mysql on PATH")
    let directory = try TemporaryDirectory("sql-playground")
    let dataDirectory = directory.appending("cluster")
    let ports = try PlaygroundPorts.allocate(stores: 3)
    let playground = try ServerProcess(
      product: "tinykv-playground",
      arguments: [
        "--stores", "3", "--dir", dataDirectory, "--clean", "--scheduler-port",
        "\(ports.scheduler)", "--store-port", "\(ports.store)", "--status-port",
        "\(ports.status)", "--sql-port", "\(ports.sql)", "--sql-status-port",
        "\(ports.sqlStatus)", "--ready-timeout", "90", "--loglevel", "warning",
      ],
      port: ports.sql, logPath: directory.appending("playground.log"))
    defer { playground.stop(signal: SIGINT) }
    let command = "mysql -h 127.0.0.1 -P \(ports.sql) -u root"
    do {
      try await eventually("the playground prints `\(command)`", timeout: .seconds(120)) {
        guard playground.isRunning else {
          throw TestFailure("the playground exited:\n\(playground.log())")
        }
        return playground.log().contains(command) && playground.log().contains("Ctrl-C")
      }
    } catch {
      Issue.record("\(error)\n\(playground.log().suffix(4000))")
      return
    }
    #expect(FreePort.isListening(ports.sql))

    // The processes it started: the scheduler, 3 stores and tinysql-server.
    let matching = ProcessTable.pids { arguments in
      arguments.first?.hasSuffix("tinykv-playground") == true && arguments.contains(dataDirectory)
    }
    let playgroundPID = try #require(
      matching.first, "no tinykv-playground process with --dir \(dataDirectory)")
    let children = ProcessTable.children(of: playgroundPID)
    let names = children.map { ProcessTable.name(of: $0) ?? "?" }.sorted()
    #expect(
      names == [
        "tinykv-server", "tinykv-server", "tinykv-server", "tinyscheduler-server", "tinysql-server",
      ],
      "the playground's children: \(names)")

    // What the welcome text says works.
    let select = try await SQLEndToEnd.mysql(port: ports.sql, ["-e", "SELECT 1"])
    #expect(select.status == 0 && select.output == "1\n1\n", "\(select.output)\(select.errors)")
    let table = try await SQLEndToEnd.mysql(
      port: ports.sql,
      [
        "--batch", "-e",
        "CREATE DATABASE pg; CREATE TABLE pg.t (id INT PRIMARY KEY, v VARCHAR(10)); "
          + "INSERT INTO pg.t VALUES (1, 'one'); INSERT INTO pg.t VALUES (2, 'two'); "
          + "SELECT id, v FROM pg.t ORDER BY id",
      ])
    #expect(table.status == 0, "\(table.errors)")
    #expect(table.output == "id\tv\n1\tone\n2\ttwo\n", "\(table.output)")

    // SIGINT: a clean exit, no port served, no child left.
    let status = playground.stop(signal: SIGINT)
    #expect(status == 0, "the playground exited with \(status):\n\(playground.log().suffix(3000))")
    let log = playground.log()
    #expect(log.contains("tinysql-server stopped"), "\(log.suffix(2000))")
    #expect(log.contains("scheduler stopped"), "\(log.suffix(2000))")
    let left = children.filter { ProcessTable.isAlive($0) }
    #expect(
      left.isEmpty,
      "processes left after SIGINT: \(left.map { "\($0) \(ProcessTable.name(of: $0) ?? "?")" })")
    for child in left { kill(child, SIGKILL) }
    for port in [ports.scheduler, ports.sql] + (0..<3).map({ ports.store + $0 }) {
      #expect(!FreePort.isListening(port), "port \(port) still served after SIGINT")
    }
  }
}

/// Ports for a playground: the scheduler's (and its status port, 2 above), the stores' and
/// their status ports (consecutive), tinysql-server's and its status port; all free now.
struct PlaygroundPorts {
  var scheduler: Int
  var store: Int
  var status: Int
  var sql: Int
  var sqlStatus: Int

  static func allocate(stores: Int) throws -> PlaygroundPorts {
    for _ in 0..<100 {
      let ports = PlaygroundPorts(
        scheduler: try freeRange(3), store: try freeRange(stores), status: try freeRange(stores),
        sql: try FreePort.allocate(), sqlStatus: try FreePort.allocate())
      let all =
        [ports.scheduler, ports.scheduler + 2, ports.sql, ports.sqlStatus]
        + (0..<stores).flatMap { [ports.store + $0, ports.status + $0] }
      if Set(all).count == all.count { return ports }
    }
    throw TestFailure("no set of free ports for a playground")
  }

  /// The first of `count` consecutive free ports.
  static func freeRange(_ count: Int) throws -> Int {
    for _ in 0..<200 {
      let base = try FreePort.allocate()
      if base + count <= 65535, (base..<base + count).allSatisfy(FreePort.canBind) { return base }
    }
    throw TestFailure("no \(count) consecutive free ports")
  }

}

/// Linux's /proc, to see the processes a process started.
enum ProcessTable {
  static func allPIDs() -> [Int32] {
    ((try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []).compactMap { Int32($0) }
  }

  /// The command line of `pid`, argument by argument.
  static func arguments(of pid: Int32) -> [String]? {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/cmdline"), !data.isEmpty
    else { return nil }
    return data.split(separator: 0).map { String(decoding: $0, as: UTF8.self) }
  }

  /// Processes whose command line satisfies `matches`.
  static func pids(where matches: ([String]) -> Bool) -> [Int32] {
    allPIDs().filter { arguments(of: $0).map(matches) ?? false }
  }

  /// The file name of `pid`'s program (its first argument's last path component).
  static func name(of pid: Int32) -> String? {
    arguments(of: pid)?.first.map { URL(fileURLWithPath: $0).lastPathComponent }
  }

  /// `/proc/<pid>/stat`'s fields after the command name: state, then the parent's pid, ...
  private static func stat(_ pid: Int32) -> [Substring]? {
    guard let data = FileManager.default.contents(atPath: "/proc/\(pid)/stat") else { return nil }
    let text = String(decoding: data, as: UTF8.self)
    guard let close = text.lastIndex(of: ")") else { return nil }
    return text[text.index(after: close)...].split(separator: " ")
  }

  static func children(of parent: Int32) -> [Int32] {
    allPIDs().filter { stat($0).flatMap { $0.count > 1 ? Int32($0[1]) : nil } == parent }
  }

  /// Whether `pid` exists and is not a zombie.
  static func isAlive(_ pid: Int32) -> Bool {
    guard let fields = stat(pid), let state = fields.first else { return false }
    return state != "Z" && state != "X"
  }
}
