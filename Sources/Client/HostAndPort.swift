/// A `host:port` address, as the command-line flags take it (`127.0.0.1:20160`,
/// `localhost:2379`, `[::1]:20160`, `http://127.0.0.1:2379`).
public struct HostAndPort: Hashable, Sendable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// Parses `text`; an `http://` prefix is accepted and dropped.
  /// - Throws: `HostAndPortError` saying what is wrong.
  public init(parsing text: String) throws(HostAndPortError) {
    var rest = Substring(text)
    if rest.hasPrefix("http://") { rest = rest.dropFirst("http://".count) }
    if rest.hasSuffix("/") { rest = rest.dropLast() }
    guard let colon = rest.lastIndex(of: ":") else {
      throw HostAndPortError(text: text, reason: "expected host:port")
    }
    var host = rest[..<colon]
    if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
    guard !host.isEmpty else { throw HostAndPortError(text: text, reason: "the host is empty") }
    guard let port = Int(rest[rest.index(after: colon)...]), (1...65535).contains(port) else {
      throw HostAndPortError(text: text, reason: "the port must be a number from 1 to 65535")
    }
    self.host = host == "localhost" ? "127.0.0.1" : String(host)
    self.port = port
  }

  /// Whether the host is an IPv6 literal.
  public var isIPv6: Bool { host.contains(":") }

  public var description: String { isIPv6 ? "[\(host)]:\(port)" : "\(host):\(port)" }
}

/// An address that could not be parsed.
public struct HostAndPortError: Error, CustomStringConvertible {
  public let text: String
  public let reason: String

  public var description: String { "invalid address \"\(text)\": \(reason)" }
}
