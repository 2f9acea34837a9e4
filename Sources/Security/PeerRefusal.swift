/// Why a peer was refused at the TLS handshake.
public enum PeerRefusal: Error, Equatable, CustomStringConvertible {
  /// The peer presented no certificate.
  case noCertificate
  /// The peer's certificate could not be parsed.
  case malformedCertificate(String)
  /// The chain does not lead to the CA, or a certificate in it is expired, not yet valid or
  /// otherwise refused by RFC 5280's rules; the reasons are swift-certificates' policy failures.
  case untrusted(reasons: [String])
  /// The chain is trusted but no name of the leaf is in `cert-allowed-cn`.
  case nameNotAllowed(names: [String])

  public var description: String {
    switch self {
    case .noCertificate: "no client certificate"
    case .malformedCertificate(let reason): "malformed certificate: \(reason)"
    case .untrusted(let reasons): "untrusted certificate: \(reasons.joined(separator: "; "))"
    case .nameNotAllowed(let names):
      "certificate names [\(names.joined(separator: ", "))] not in cert-allowed-cn"
    }
  }
}
