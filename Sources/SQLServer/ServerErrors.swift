/// The errors the server itself answers with, as MySQL 8 words them.
extension SQLFailure {
  /// 1040: the server is serving as many connections as it may.
  static let tooManyConnections = SQLFailure(
    code: 1040, sqlState: "08004", message: "Too many connections")

  /// 1043: a handshake response that cannot be read.
  static let badHandshake = SQLFailure(code: 1043, sqlState: "08S01", message: "Bad handshake")

  /// 1045: an unknown user or a wrong password.
  static func accessDenied(user: String, host: String, usingPassword: Bool) -> SQLFailure {
    SQLFailure(
      code: 1045, sqlState: "28000",
      message:
        "Access denied for user '\(user)'@'\(host)' (using password: \(usingPassword ? "YES" : "NO"))"
    )
  }

  /// 1047: a command this server does not serve.
  static let unknownCommand = SQLFailure(code: 1047, sqlState: "08S01", message: "Unknown command")

  /// 1153: a packet over the server's `max_allowed_packet`.
  static let packetTooLarge = SQLFailure(
    code: 1153, sqlState: "08S01", message: "Got a packet bigger than 'max_allowed_packet' bytes")

  /// 1835: a command packet that cannot be read.
  static let malformedPacket = SQLFailure(
    code: 1835, sqlState: "HY000", message: "Malformed communication packet.")

  /// 1243: a statement id that no open prepared statement has.
  static func unknownStatement(_ id: UInt32, in command: String) -> SQLFailure {
    SQLFailure(
      code: 1243, sqlState: "HY000",
      message: "Unknown prepared statement handler (\(id)) given to \(command)")
  }

  /// 1210: parameters of an execute that cannot be read.
  static func incorrectArguments(to command: String, _ detail: String) -> SQLFailure {
    SQLFailure(
      code: 1210, sqlState: "HY000", message: "Incorrect arguments to \(command): \(detail)")
  }

  /// 1390: more parameters than a statement may have.
  static let tooManyPlaceholders = SQLFailure(
    code: 1390, sqlState: "HY000", message: "Prepared statement contains too many placeholders")

  /// 1105: the session answered with something the protocol cannot carry.
  static func internalError(_ message: String) -> SQLFailure {
    SQLFailure(code: 1105, sqlState: "HY000", message: message)
  }
}
