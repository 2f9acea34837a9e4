/// The server's first packet (Protocol::HandshakeV10): who it is and the 20-byte scramble the
/// client's password answer is computed from.
public struct ServerGreeting: Sendable, Equatable {
  /// Reported as MySQL's version, with our name after it (clients parse the leading digits).
  public var serverVersion = "8.0.11-TinyKV-Swift"
  public var connectionID: UInt32
  /// 20 random printable bytes (no NUL), the salt of `mysql_native_password`.
  public var scramble: [UInt8]
  public var capabilities = Capabilities.server
  /// utf8mb4_general_ci.
  public var characterSet: UInt8 = 45
  public var status: ServerStatus = .autocommit

  public init(connectionID: UInt32, scramble: [UInt8]) {
    precondition(scramble.count == 20, "the scramble is 20 bytes")
    self.connectionID = connectionID
    self.scramble = scramble
  }

  /// The packet's payload.
  public var payload: [UInt8] {
    var writer = PayloadWriter()
    writer.int1(10)
    writer.nulTerminated(serverVersion)
    writer.int4(connectionID)
    writer.raw(scramble.prefix(8))
    writer.int1(0)
    writer.int2(UInt16(truncatingIfNeeded: capabilities.rawValue))
    writer.int1(characterSet)
    writer.int2(status.rawValue)
    writer.int2(UInt16(truncatingIfNeeded: capabilities.rawValue >> 16))
    writer.int1(UInt8(scramble.count + 1))
    writer.raw([UInt8](repeating: 0, count: 10))
    writer.raw(scramble.dropFirst(8))
    writer.int1(0)
    writer.nulTerminated(NativePassword.pluginName)
    return writer.bytes
  }
}

/// The client's answer to the greeting (Protocol::HandshakeResponse41).
public struct HandshakeResponse: Sendable, Equatable {
  public var capabilities: Capabilities
  public var maxPacketSize: UInt32
  public var characterSet: UInt8
  public var user: String
  /// The scrambled password (empty for an empty password).
  public var authResponse: [UInt8]
  /// The database to use, when the client names one.
  public var database: String?
  public var authPlugin: String?
  public var attributes: [String: String] = [:]

  /// Parses the payload.
  /// - Throws: `MySQLProtocolError` for a client without protocol 4.1 or a packet cut short.
  public init(parsing payload: [UInt8]) throws(MySQLProtocolError) {
    var reader = PayloadReader(payload)
    capabilities = Capabilities(rawValue: try reader.int4())
    guard capabilities.contains(.protocol41) else {
      throw MySQLProtocolError("the client does not speak protocol 4.1")
    }
    maxPacketSize = try reader.int4()
    characterSet = try reader.int1()
    _ = try reader.take(23)
    user = String(decoding: try reader.nulTerminated(), as: UTF8.self)
    if capabilities.contains(.pluginAuthLengthEncodedData) {
      authResponse = try reader.lengthEncodedBytes() ?? []
    } else if capabilities.contains(.secureConnection) {
      authResponse = try reader.take(Int(try reader.int1()))
    } else {
      authResponse = try reader.nulTerminated()
    }
    if capabilities.contains(.connectWithDB), reader.remaining > 0 {
      database = String(decoding: try reader.nulTerminated(), as: UTF8.self)
    }
    if capabilities.contains(.pluginAuth), reader.remaining > 0 {
      authPlugin = String(decoding: try reader.nulTerminated(), as: UTF8.self)
    }
    if capabilities.contains(.connectAttributes), reader.remaining > 0 {
      var attributes = PayloadReader(try reader.lengthEncodedBytes() ?? [])
      while attributes.remaining > 0 {
        let key = try attributes.lengthEncodedBytes() ?? []
        let value = try attributes.lengthEncodedBytes() ?? []
        self.attributes[String(decoding: key, as: UTF8.self)] =
          String(decoding: value, as: UTF8.self)
      }
    }
  }
}

/// The server's request that the client answer with another authentication plugin
/// (Protocol::AuthSwitchRequest): sent when the client's answer was computed for a plugin this
/// server does not check; the client answers with a packet holding only the new answer.
public struct AuthSwitchRequest: Sendable, Equatable {
  public var plugin: String
  /// The plugin's data: for `mysql_native_password`, the scramble.
  public var data: [UInt8]

  public init(plugin: String = NativePassword.pluginName, data: [UInt8]) {
    self.plugin = plugin
    self.data = data
  }

  /// The packet's payload: 0xFE, the plugin's name, its data ended by a NUL (as MySQL sends it).
  public var payload: [UInt8] {
    var writer = PayloadWriter()
    writer.int1(0xFE)
    writer.nulTerminated(plugin)
    writer.raw(data)
    writer.int1(0)
    return writer.bytes
  }
}
