import GRPCNIOTransportHTTP2

extension HostAndPort {
  /// A plaintext HTTP/2 client transport to this address (an IPv6 literal directly, anything
  /// else through DNS, which also takes IPv4 literals).
  package func plaintextTransport() throws -> HTTP2ClientTransport.Posix {
    try HTTP2ClientTransport.Posix(
      target: isIPv6 ? .ipv6(address: host, port: port) : .dns(host: host, port: port),
      transportSecurity: .plaintext)
  }
}
