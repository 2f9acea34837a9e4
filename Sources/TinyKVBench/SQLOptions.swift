import ArgumentParser

/// Options of `tinykv-bench sql`: where the server is, the tables, the load.
struct SQLOptions: ParsableArguments {
  @Option(help: "Host of the MySQL-protocol server (tinysql-server).")
  var host = "127.0.0.1"

  @Option(help: "Its MySQL port.")
  var port = 4000

  @Option(help: "User to log in as.")
  var user = "root"

  @Option(help: "The user's password (default: none).")
  var password = ""

  @Option(help: "Tables sbtest1 ... sbtestN; each statement picks one at random.")
  var tables = 1

  @Option(help: "Rows per table (ids 1 ... N); give the same value to prepare and the workloads.")
  var tableSize = 10_000

  @Option(help: "Connections, each running its statements one after another in its own task.")
  var threads = 16

  @Option(help: "Seconds each workload runs (not prepare, which loads every row).")
  var duration: Double = 10

  @Option(help: "Seed of the random ids and values (printed with the result).")
  var seed: UInt64 = 42

  @Flag(
    help: """
      Send statements as text (COM_QUERY, values written into them) instead of as prepared \
      statements (COM_STMT_PREPARE once per connection, then COM_STMT_EXECUTE), sysbench's \
      default.
      """)
  var text = false

  @Option(help: "Write the result as JSON to this file.")
  var json: String?

  func validate() throws {
    guard (1...65535).contains(port) else { throw ValidationError("--port \(port) is not a port") }
    guard tables > 0 else { throw ValidationError("--tables must be positive") }
    guard tableSize >= SysbenchStatement.rangeSize else {
      throw ValidationError("--table-size must be at least \(SysbenchStatement.rangeSize)")
    }
    guard threads > 0 else { throw ValidationError("--threads must be positive") }
    guard duration > 0 else { throw ValidationError("--duration must be positive") }
  }

  /// The table-size and tables parameters, for the JSON result.
  var parameters: [String: String] {
    [
      "tables": "\(tables)", "tableSize": "\(tableSize)", "threads": "\(threads)",
      "protocol": text ? "text" : "binary", "server": "\(host):\(port)",
    ]
  }
}
