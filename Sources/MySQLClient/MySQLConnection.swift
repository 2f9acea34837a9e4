import MySQLProtocol
import NIOCore
import NIOPosix

/// A connection to a MySQL-protocol server (MySQL 5.7/8, MariaDB, tinysql-server): login with
/// `mysql_native_password`, statements as text (`COM_QUERY`, text result sets) or prepared
/// (`COM_STMT_PREPARE`/`EXECUTE`, binary result sets).
///
/// Requests may come from any task; each is answered in order. A connection serves one
/// session: statements of one task at a time make sense (as with any MySQL connection).
///
/// ```swift
/// try await MySQLConnection.withConnection(host: "127.0.0.1", port: 4000, user: "root") { db in
///   let statement = try await db.prepare("SELECT c FROM sbtest1 WHERE id = ?")
///   let rows = try await db.execute(statement, [.int(42)]).rows
/// }
/// ```
public final class MySQLConnection: Sendable {
  private let channel: any Channel
  /// The server's version, as its greeting tells it.
  public let serverVersion: String
  /// The server's id of this connection (`CONNECTION_ID()`).
  public let connectionID: UInt32

  private init(channel: any Channel, greeting: ClientHandshake.Greeting) {
    self.channel = channel
    serverVersion = greeting.serverVersion
    connectionID = greeting.connectionID
  }

  /// Connects to `host`:`port` and logs in as `user` with `password`, in `database` if given.
  /// - Throws: `MySQLError.unreachable` when no connection can be made within
  ///   `connectTimeout`, `.server` when the server refuses the login (1045 access denied, 1049
  ///   unknown database), `.closed` or `.malformed` when the handshake breaks off.
  public static func connect(
    host: String, port: Int, user: String, password: String = "", database: String? = nil,
    connectTimeout: Duration = .seconds(10),
    group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton
  ) async throws(MySQLError) -> MySQLConnection {
    let loop = group.next()
    let greetingPromise = loop.makePromise(of: Answer.self)
    let channel: any Channel
    do {
      channel = try await ClientBootstrap(group: loop)
        .connectTimeout(.nanoseconds(connectTimeout.nanoseconds))
        .channelOption(.socketOption(.tcp_nodelay), value: 1)
        .channelInitializer { channel in
          channel.eventLoop.makeCompletedFuture {
            try channel.pipeline.syncOperations.addHandler(
              PacketHandler(greeting: greetingPromise))
          }
        }
        .connect(host: host, port: port).get()
    } catch {
      // NIO wraps the system's refusal in the list of addresses it tried: the first is enough.
      let reason =
        (error as? NIOConnectionError)?.connectionErrors.first.map { "\($0.error)" } ?? "\(error)"
      greetingPromise.fail(MySQLError.unreachable(host: host, port: port, reason: reason))
      throw .unreachable(host: host, port: port, reason: reason)
    }
    do {
      let greetingAnswer = try await answer(greetingPromise.futureResult)
      let greeting = try ClientHandshake.greeting(try only(greetingAnswer))
      let connection = MySQLConnection(channel: channel, greeting: greeting)
      var verdict = try await connection.exchange(
        ClientHandshake.response(to: greeting, user: user, password: password, database: database),
        sequence: greetingAnswer.lastSequence &+ 1, shape: .single)
      if try only(verdict).first == 0xFE {
        verdict = try await connection.exchange(
          try ClientHandshake.switchAnswer(try only(verdict), password: password),
          sequence: verdict.lastSequence &+ 1, shape: .single)
      }
      _ = try AnswerParser.ok(try only(verdict))
      return connection
    } catch {
      try? await channel.close()
      throw error
    }
  }

  /// Connects (as ``connect(host:port:user:password:database:connectTimeout:group:)``), runs
  /// `body`, and closes the connection however `body` ends.
  public static func withConnection<T: Sendable>(
    host: String, port: Int, user: String, password: String = "", database: String? = nil,
    _ body: (MySQLConnection) async throws -> T
  ) async throws -> T {
    let connection = try await connect(
      host: host, port: port, user: user, password: password, database: database)
    do {
      let result = try await body(connection)
      await connection.close()
      return result
    } catch {
      await connection.close()
      throw error
    }
  }

  // MARK: Statements

  /// Runs `sql` as text (`COM_QUERY`) and returns its result; when `sql` holds several
  /// statements, the last one's (see ``queryAll(_:)``).
  /// - Throws: the server's ERR as `MySQLError.server`, or why no answer came.
  public func query(_ sql: String) async throws(MySQLError) -> MySQLResult {
    try await queryAll(sql).last ?? MySQLResult()
  }

  /// Runs `sql` as text and returns the result of each of its statements.
  /// - Throws: the first statement's ERR (the statements before it have run).
  public func queryAll(_ sql: String) async throws(MySQLError) -> [MySQLResult] {
    let answer = try await exchange([0x03] + Array(sql.utf8), shape: .results)
    return try AnswerParser.results(answer.packets, binary: false)
  }

  /// Prepares `sql` (with `?` for parameters) on the server.
  public func prepare(_ sql: String) async throws(MySQLError) -> MySQLStatement {
    let answer = try await exchange([0x16] + Array(sql.utf8), shape: .prepare)
    return try AnswerParser.statement(answer.packets)
  }

  /// Runs a statement this connection prepared with `parameters` (one per `?`; integers go as
  /// LONGLONG, doubles as DOUBLE, bytes as VAR_STRING) and returns its result, rows binary.
  public func execute(
    _ statement: MySQLStatement, _ parameters: [BinaryValue] = []
  ) async throws(MySQLError) -> MySQLResult {
    guard parameters.count == statement.parameterCount else {
      throw .malformed(
        "the statement takes \(statement.parameterCount) parameter(s), \(parameters.count) given")
    }
    var writer = PayloadWriter()
    writer.int1(0x17)
    writer.int4(statement.id)
    writer.int1(0)  // no cursor
    writer.int4(1)  // iteration count
    if !parameters.isEmpty {
      var nulls = [UInt8](repeating: 0, count: (parameters.count + 7) / 8)
      for (index, value) in parameters.enumerated() where value == .null {
        nulls[index / 8] |= 1 << UInt8(index % 8)
      }
      writer.raw(nulls)
      writer.int1(1)  // the types follow
      for value in parameters {
        let (type, flag) = BinaryField.type(of: value)
        writer.int1(type.rawValue)
        writer.int1(flag)
      }
      for value in parameters { BinaryField.write(value, to: &writer) }
    }
    let answer = try await exchange(writer.bytes, shape: .results)
    return try AnswerParser.results(answer.packets, binary: true).last ?? MySQLResult()
  }

  /// Frees a prepared statement on the server (`COM_STMT_CLOSE`, which has no answer).
  public func close(_ statement: MySQLStatement) {
    var writer = PayloadWriter()
    writer.int1(0x19)
    writer.int4(statement.id)
    channel.writeAndFlush(
      Exchange(payload: writer.bytes, sequence: 0, shape: .single), promise: nil)
  }

  /// `COM_PING`: whether the server answers.
  public func ping() async throws(MySQLError) {
    _ = try AnswerParser.ok(try Self.only(try await exchange([0x0E], shape: .single)))
  }

  /// Says goodbye (`COM_QUIT`) and closes the connection. Requests still waiting fail.
  public func close() async {
    channel.writeAndFlush(Exchange(payload: [0x01], sequence: 0, shape: .single), promise: nil)
    try? await channel.close()
  }

  // MARK: Exchanges

  /// Sends a command (its first packet has `sequence`, 0 for a new command) and awaits the
  /// whole answer of `shape`.
  private func exchange(
    _ payload: [UInt8], sequence: UInt8 = 0, shape: AnswerAssembler.Shape
  ) async throws(MySQLError) -> Answer {
    let promise = channel.eventLoop.makePromise(of: Answer.self)
    // A write that fails before the handler saw it (the channel gone) fails the answer too;
    // completing a promise twice keeps the first outcome.
    channel.writeAndFlush(
      Exchange(payload: payload, sequence: sequence, shape: shape, promise: promise)
    ).whenFailure { error in
      promise.fail(error as? MySQLError ?? .closed("\(error)"))
    }
    return try await Self.answer(promise.futureResult)
  }

  /// The future's answer, its failure as a `MySQLError`.
  private static func answer(_ future: EventLoopFuture<Answer>) async throws(MySQLError) -> Answer {
    do {
      return try await future.get()
    } catch let error as MySQLError {
      throw error
    } catch {
      throw .closed("\(error)")
    }
  }

  /// The one packet of a single-packet answer.
  private static func only(_ answer: Answer) throws(MySQLError) -> [UInt8] {
    guard let packet = answer.packets.first else { throw .malformed("an empty answer") }
    return packet
  }
}

extension Duration {
  /// The duration in whole nanoseconds.
  fileprivate var nanoseconds: Int64 {
    components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
  }
}
