/// What a ``MySQLConnection`` throws: the server's ERR packet, or why there was no answer.
public enum MySQLError: Error, Equatable, CustomStringConvertible {
  /// The server answered a statement (or the login) with an ERR packet: MySQL's error code
  /// (1146 for a missing table), its five-character SQLSTATE and the message.
  case server(code: UInt16, sqlState: String, message: String)
  /// No TCP connection could be opened (the server is not running, or not at that address).
  case unreachable(host: String, port: Int, reason: String)
  /// The connection closed (or failed) before the answer came.
  case closed(String)
  /// The server sent bytes that break the protocol, or an answer this client does not read.
  case malformed(String)

  /// The MySQL error code of a server error; nil for the other cases.
  public var code: UInt16? {
    guard case .server(let code, _, _) = self else { return nil }
    return code
  }

  public var description: String {
    switch self {
    case .server(let code, let state, let message): "ERROR \(code) (\(state)): \(message)"
    case .unreachable(let host, let port, let reason):
      "cannot connect to a MySQL server at \(host):\(port): \(reason)"
    case .closed(let reason): "the connection closed: \(reason)"
    case .malformed(let reason): "a malformed answer: \(reason)"
    }
  }
}
