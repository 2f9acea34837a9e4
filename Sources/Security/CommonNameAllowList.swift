import X509

/// TiKV's and PD's `cert-allowed-cn`: the names a peer's certificate must carry to be let in.
///
/// A certificate is allowed when its subject common name, or one of its DNS subject alternative
/// names, is in the list (TiKV checks the CN only; the SANs are accepted too so certificates made
/// for hostnames work without a matching CN). An empty list allows every certificate.
public struct CommonNameAllowList: Sendable, Equatable {
  /// The names let in; empty lets in any.
  public let names: Set<String>

  /// The list of `names` (duplicates are ignored).
  public init(_ names: some Sequence<String>) { self.names = Set(names) }

  /// Whether the list lets in any certificate (it is empty).
  public var allowsAny: Bool { names.isEmpty }

  /// Whether `certificate` carries an allowed name.
  public func allows(_ certificate: Certificate) -> Bool {
    allowsAny || Self.names(of: certificate).contains(where: names.contains)
  }

  /// The names a certificate is known by: its subject common names, then its DNS subject
  /// alternative names.
  public static func names(of certificate: Certificate) -> [String] {
    var result: [String] = []
    for rdn in certificate.subject {
      for attribute in rdn where attribute.type == .RDNAttributeType.commonName {
        if let name = String(attribute.value) { result.append(name) }
      }
    }
    if let sans = try? certificate.extensions.subjectAlternativeNames {
      for case .dnsName(let name) in sans { result.append(name) }
    }
    return result
  }
}
