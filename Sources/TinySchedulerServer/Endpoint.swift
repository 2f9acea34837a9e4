import Foundation
import GRPCNIOTransportHTTP2

/// The host and port of a client URL such as `http://127.0.0.1:2379`.
struct Endpoint: CustomStringConvertible {
  struct InvalidURL: Error, CustomStringConvertible {
    var url: String
    var description: String { "invalid client URL '\(url)': expected http://HOST:PORT" }
  }

  var host: String
  var port: Int

  /// Parses the first of a comma-separated list of URLs.
  init(url: String) throws(InvalidURL) {
    let first = url.split(separator: ",").first.map(String.init) ?? url
    var rest = Substring(first.trimmingCharacters(in: .whitespaces))
    for scheme in ["http://", "https://"] where rest.hasPrefix(scheme) {
      rest = rest.dropFirst(scheme.count)
    }
    while rest.hasSuffix("/") { rest = rest.dropLast() }
    guard let colon = rest.lastIndex(of: ":"), let port = Int(rest[rest.index(after: colon)...]),
      (0...65535).contains(port)
    else { throw InvalidURL(url: url) }
    var host = String(rest[..<colon])
    if host.hasPrefix("[") && host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
    if host.isEmpty || host == "localhost" { host = "127.0.0.1" }
    self.host = host
    self.port = port
  }

  var address: GRPCNIOTransportCore.SocketAddress {
    host.contains(":") ? .ipv6(host: host, port: port) : .ipv4(host: host, port: port)
  }

  var description: String { host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)" }
}
