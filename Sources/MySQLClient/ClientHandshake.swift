import MySQLProtocol

/// The client's side of the handshake: the server's greeting read, the answer built with
/// `mysql_native_password`, an auth switch followed.
enum ClientHandshake {
  /// What the greeting (Protocol::HandshakeV10) tells the client.
  struct Greeting: Sendable {
    var serverVersion: String
    var connectionID: UInt32
    var scramble: [UInt8]
    var capabilities: Capabilities
  }

  /// What this client asks for, when the server offers it: protocol 4.1, scrambled passwords,
  /// transactions, several results, plugin authentication.
  static let wanted: Capabilities = [
    .longPassword, .longFlag, .protocol41, .transactions, .secureConnection, .multiResults,
    .psMultiResults, .pluginAuth, .pluginAuthLengthEncodedData,
  ]

  /// Reads the greeting packet.
  /// - Throws: `MySQLError.server` when the server refuses the connection outright (too many
  ///   connections), `.malformed` for anything but a HandshakeV10 of protocol 4.1.
  static func greeting(_ packet: [UInt8]) throws(MySQLError) -> Greeting {
    if packet.first == 0xFF { throw AnswerParser.error(packet) }
    var reader = PayloadReader(packet)
    return try AnswerParser.wrap { () throws(MySQLProtocolError) in
      guard try reader.int1() == 10 else {
        throw MySQLProtocolError("not a HandshakeV10 greeting")
      }
      let version = String(decoding: try reader.nulTerminated(), as: UTF8.self)
      let id = try reader.int4()
      var scramble = try reader.take(8)
      _ = try reader.int1()
      var capabilities = UInt32(try reader.int2())
      if reader.remaining > 0 {
        _ = try reader.int1()  // character set
        _ = try reader.int2()  // status
        capabilities |= UInt32(try reader.int2()) << 16
        let length = Int(try reader.int1())
        _ = try reader.take(10)
        // The scramble's second part: max(13, length - 8) bytes, the last a NUL.
        scramble += try reader.take(max(13, length - 8)).dropLast()
      }
      let offered = Capabilities(rawValue: capabilities)
      guard offered.contains(.protocol41) else {
        throw MySQLProtocolError("the server does not speak protocol 4.1")
      }
      return Greeting(
        serverVersion: version, connectionID: id, scramble: scramble, capabilities: offered)
    }
  }

  /// The HandshakeResponse41 payload for `user` with `password`, asking for `database`.
  static func response(
    to greeting: Greeting, user: String, password: String, database: String?
  ) -> [UInt8] {
    var capabilities = wanted.intersection(greeting.capabilities)
    if database != nil { capabilities.insert(.connectWithDB) }
    let answer = NativePassword.answer(password: password, scramble: greeting.scramble)
    var writer = PayloadWriter()
    writer.int4(capabilities.rawValue)
    writer.int4(1 << 24)  // max packet size
    writer.int1(45)  // utf8mb4_general_ci
    writer.raw([UInt8](repeating: 0, count: 23))
    writer.nulTerminated(user)
    if capabilities.contains(.pluginAuthLengthEncodedData) {
      writer.lengthEncoded(answer)
    } else {
      writer.int1(UInt8(answer.count))
      writer.raw(answer)
    }
    if let database { writer.nulTerminated(database) }
    if capabilities.contains(.pluginAuth) { writer.nulTerminated(NativePassword.pluginName) }
    return writer.bytes
  }

  /// The answer to an auth switch request (0xFE, plugin name, its data): the password scrambled
  /// with the new salt.
  /// - Throws: `MySQLError.malformed` for another plugin than `mysql_native_password`.
  static func switchAnswer(_ packet: [UInt8], password: String) throws(MySQLError) -> [UInt8] {
    var reader = PayloadReader(packet)
    let (plugin, data) = try AnswerParser.wrap { () throws(MySQLProtocolError) in
      _ = try reader.int1()
      return (String(decoding: try reader.nulTerminated(), as: UTF8.self), reader.rest())
    }
    guard plugin == NativePassword.pluginName else {
      throw .malformed("the server asks for authentication plugin \(plugin), not supported")
    }
    let scramble = data.last == 0 ? Array(data.dropLast()) : data
    return NativePassword.answer(password: password, scramble: scramble)
  }
}
