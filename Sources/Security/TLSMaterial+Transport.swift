import GRPCNIOTransportHTTP2

extension TLSMaterial {
  /// A server that serves TLS only, presents this process's chain, and lets in only clients
  /// whose certificate chain leads to the CA and whose leaf carries an allowed name; refused
  /// peers fail the handshake and are told to `onRefusal`.
  ///
  /// The check is ``PeerCertificateVerifier``, installed as the transport's
  /// `customVerificationCallback` (it replaces BoringSSL's verification; the CA is still given
  /// as `trustRoots` so the server names it in its certificate request).
  public func serverSecurity(onRefusal: @escaping @Sendable (PeerRefusal) -> Void = { _ in })
    -> HTTP2ServerTransport.Posix.TransportSecurity
  {
    let verifier = PeerCertificateVerifier(
      roots: caCertificates, allowList: allowList, onRefusal: onRefusal)
    return .mTLS(
      certificateChain: [.bytes(certificatePEM, format: .pem)],
      privateKey: .bytes(keyPEM, format: .pem)
    ) { config in
      config.trustRoots = .certificates([.bytes(caPEM, format: .pem)])
      config.clientCertificateVerification = .noHostnameVerification
      config.customVerificationCallback = verifier.callback
    }
  }

  /// A client that presents this process's chain and checks the server's against the CA.
  ///
  /// Host names are not checked (members dial each other by address; the CA is the cluster's
  /// own), as TiKV's members do not either.
  public var clientSecurity: HTTP2ClientTransport.Posix.TransportSecurity {
    .mTLS(
      certificateChain: [.bytes(certificatePEM, format: .pem)],
      privateKey: .bytes(keyPEM, format: .pem)
    ) { config in
      config.trustRoots = .certificates([.bytes(caPEM, format: .pem)])
      config.serverCertificateVerification = .noHostnameVerification
    }
  }
}
