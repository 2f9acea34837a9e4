import MySQLClient
import MySQLProtocol

/// One benchmark connection and the statements it runs, prepared on it for every table.
struct SQLWorker: Sendable {
  let connection: MySQLConnection
  /// Per statement, its prepared form on each table (none with `--text`).
  let prepared: [SysbenchStatement: [MySQLStatement]]

  /// Runs `statement` on table `table` (0-based) with `parameters`: executes its prepared form,
  /// or sends its text with the values in place.
  func run(
    _ statement: SysbenchStatement, table: Int, _ parameters: [BinaryValue]
  ) async throws(MySQLError) -> MySQLResult {
    if let prepared = prepared[statement] {
      return try await connection.execute(prepared[table], parameters)
    }
    let sql = SysbenchStatement.inline(statement.sql(table: Sysbench.table(table)), parameters)
    return try await connection.query(sql)
  }
}

/// The benchmark's connections: opened together, each with its statements prepared, closed
/// after the run.
enum SQLWorkers {
  /// Opens `options.threads` connections to the sysbench database, prepares `statements` on
  /// each for every table (unless `--text`), runs `body` with them, and closes them.
  /// - Throws: ``SQLBenchError`` when the server is not reachable or the tables are missing.
  static func with<T: Sendable>(
    _ options: SQLOptions, preparing statements: [SysbenchStatement],
    _ body: ([SQLWorker]) async throws -> T
  ) async throws -> T {
    var workers: [SQLWorker] = []
    do {
      workers = try await withThrowingTaskGroup(of: (Int, SQLWorker).self) { group in
        for index in 0..<options.threads {
          group.addTask { (index, try await open(options, preparing: statements)) }
        }
        var opened: [(Int, SQLWorker)] = []
        do {
          for try await worker in group { opened.append(worker) }
        } catch {
          for (_, worker) in opened { await worker.connection.close() }
          throw error
        }
        return opened.sorted { $0.0 < $1.0 }.map(\.1)
      }
    } catch {
      throw SQLBenchError.explaining(error, options)
    }
    do {
      let result = try await body(workers)
      for worker in workers { await worker.connection.close() }
      return result
    } catch {
      for worker in workers { await worker.connection.close() }
      throw error
    }
  }

  /// One connection with its statements prepared.
  private static func open(
    _ options: SQLOptions, preparing statements: [SysbenchStatement]
  ) async throws -> SQLWorker {
    let connection = try await connect(options, database: Sysbench.database)
    do {
      var prepared: [SysbenchStatement: [MySQLStatement]] = [:]
      if !options.text {
        for statement in statements {
          var perTable: [MySQLStatement] = []
          for table in 0..<options.tables {
            perTable.append(
              try await connection.prepare(statement.sql(table: Sysbench.table(table))))
          }
          prepared[statement] = perTable
        }
      }
      return SQLWorker(connection: connection, prepared: prepared)
    } catch {
      await connection.close()
      throw error
    }
  }

  /// One connection, logged in as the options say, in `database` if given.
  static func connect(
    _ options: SQLOptions, database: String?
  ) async throws(MySQLError) -> MySQLConnection {
    try await MySQLConnection.connect(
      host: options.host, port: options.port, user: options.user, password: options.password,
      database: database)
  }

  /// Checks that every table holds its first and last row (ids 1 and `--table-size`).
  /// - Throws: ``SQLBenchError`` saying to run prepare when one does not.
  static func checkTables(_ worker: SQLWorker, _ options: SQLOptions) async throws {
    for table in 0..<options.tables {
      for id in [1, options.tableSize] {
        let result: MySQLResult
        do {
          result = try await worker.connection.query(
            "SELECT c FROM \(Sysbench.table(table)) WHERE id=\(id)")
        } catch {
          throw SQLBenchError.explaining(error, options)
        }
        guard result.rows.count == 1 else {
          throw SQLBenchError(
            "table \(Sysbench.database).\(Sysbench.table(table)) has no row with id \(id): run "
              + "`tinykv-bench sql prepare` first, with the same --tables and --table-size")
        }
      }
    }
  }
}

/// Why the SQL benchmark cannot run, said plainly.
struct SQLBenchError: Error, CustomStringConvertible {
  let description: String
  init(_ description: String) { self.description = description }

  /// `error` with what to do about it: start the server, or run prepare.
  static func explaining(_ error: any Error, _ options: SQLOptions) -> any Error {
    guard let error = error as? MySQLError else { return error }
    switch error {
    case .unreachable:
      return SQLBenchError(
        "\(error) (is tinysql-server running there? bench/sql.sh starts one; see --host, --port)")
    case .server(1049, _, _), .server(1146, _, _):
      return SQLBenchError(
        "\(error): run `tinykv-bench sql prepare` first (with the same --tables and --table-size)")
    default:
      return error
    }
  }
}
