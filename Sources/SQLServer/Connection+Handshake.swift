import MySQLProtocol
import NIOCore

extension Connection {
  /// The connection phase: the greeting with a fresh scramble, the client's response, an auth
  /// switch to `mysql_native_password` when the client answered for another plugin, the
  /// password check, the session and its database, then OK. A client that does not finish
  /// within the configuration's handshake timeout is disconnected.
  /// - Returns: whether the client is in; when not, the ERR has been sent.
  func handshake() async throws -> Bool {
    let channel = self.channel
    let timeout = channel.eventLoop.scheduleTask(in: TimeAmount(configuration.handshakeTimeout)) {
      channel.close(promise: nil)
    }
    defer { timeout.cancel() }

    let scramble = Self.makeScramble()
    var greeting = ServerGreeting(connectionID: id, scramble: scramble)
    greeting.serverVersion = configuration.serverVersion
    try await packets.send(greeting.payload)
    try await packets.flush()

    guard let payload = try await readPacket() else { return false }
    let response: HandshakeResponse
    do {
      response = try HandshakeResponse(parsing: payload)
    } catch {
      throw Violation.badHandshake(error.description)
    }
    capabilities = response.capabilities.intersection(Capabilities.server)

    var answer = response.authResponse
    if let plugin = response.authPlugin, plugin != NativePassword.pluginName,
      response.capabilities.contains(.pluginAuth)
    {
      logger.debug("switching the client from \(plugin) to \(NativePassword.pluginName)")
      try await packets.send(AuthSwitchRequest(data: scramble).payload)
      try await packets.flush()
      guard let switched = try await readPacket() else { return false }
      answer = switched
    }

    guard let password = configuration.users[response.user],
      NativePassword.verify(
        answer: answer, scramble: scramble, stored: NativePassword.stored(password: password))
    else {
      logger.debug("access denied for \(response.user)")
      try await refuse(
        .accessDenied(user: response.user, host: peer, usingPassword: !answer.isEmpty))
      return false
    }

    let info = ConnectionInfo(connectionID: id, user: response.user, clientAddress: peer)
    let session = configuration.makeSession(info)
    session.multiStatements = capabilities.contains(.multiStatements)
    self.session = session
    self.info = info
    if let database = response.database, !database.isEmpty {
      do throws(SQLFailure) {
        try await session.useDatabase(database)
      } catch {
        try await refuse(error)
        return false
      }
      self.database = database
    }
    try await writer.ok(status: status(), warnings: warnings)
    try await packets.flush()
    logger.debug("authenticated as \(response.user)")
    return true
  }

  /// Answers with `failure` and flushes it; the caller then closes the connection.
  private func refuse(_ failure: SQLFailure) async throws {
    try await writer.error(failure)
    try await packets.flush()
  }

  /// 20 random printable bytes, never NUL (clients read the scramble as a C string).
  static func makeScramble() -> [UInt8] {
    (0..<20).map { _ in UInt8.random(in: 0x21...0x7E) }
  }
}
