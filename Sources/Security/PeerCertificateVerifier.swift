import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// Verifies a peer's certificate chain at the TLS handshake: it must lead to one of the CA
/// certificates under RFC 5280's rules (signatures, validity window, CA constraints) and its leaf
/// must carry a name of the allow list.
///
/// NIOSSL's custom verification callback replaces BoringSSL's own verification, so the chain is
/// checked here with swift-certificates' `Verifier` rather than only the name. Used as the gRPC
/// server transport's `customVerificationCallback` (``callback``).
public struct PeerCertificateVerifier: Sendable {
  /// The trusted roots.
  public let roots: [Certificate]
  /// The names let in.
  public let allowList: CommonNameAllowList
  /// Told each refusal, for the log and the metric.
  public let onRefusal: @Sendable (PeerRefusal) -> Void

  /// A verifier trusting `roots` and letting in the names of `allowList`.
  public init(
    roots: [Certificate], allowList: CommonNameAllowList,
    onRefusal: @escaping @Sendable (PeerRefusal) -> Void = { _ in }
  ) {
    self.roots = roots
    self.allowList = allowList
    self.onRefusal = onRefusal
  }

  /// The validated chain (leaf first, root last) of `presented` now, or why it is refused.
  public func verify(_ presented: [Certificate]) async -> Result<
    [Certificate], PeerRefusal
  > {
    guard let leaf = presented.first else { return .failure(.noCertificate) }
    var verifier = Verifier(rootCertificates: CertificateStore(roots)) {
      RFC5280Policy()
    }
    let result = await verifier.validate(
      leaf: leaf, intermediates: CertificateStore(presented.dropFirst()))
    switch result {
    case .couldNotValidate(let failures):
      let reasons = failures.map { "\($0.policyFailureReason)" }
      return .failure(.untrusted(reasons: reasons.isEmpty ? ["no chain to the CA"] : reasons))
    case .validCertificate(let chain):
      guard allowList.allows(leaf) else {
        return .failure(.nameNotAllowed(names: CommonNameAllowList.names(of: leaf)))
      }
      return .success(Array(chain))
    }
  }

  /// ``verify(_:)-([Certificate])`` on the certificates NIOSSL hands over, as a NIOSSL result whose metadata
  /// carries the validated chain (so the gRPC server context's `peerCertificate` is set).
  public func verify(_ presented: [NIOSSLCertificate]) async -> NIOSSLVerificationResultWithMetadata
  {
    let parsed: [Certificate]
    do {
      parsed = try presented.map { try Certificate(derEncoded: $0.toDERBytes()) }
    } catch {
      onRefusal(.malformedCertificate("\(error)"))
      return .failed
    }
    switch await verify(parsed) {
    case .failure(let refusal):
      onRefusal(refusal)
      return .failed
    case .success(let chain):
      do {
        let nioChain = try chain.map { certificate in
          var serializer = DER.Serializer()
          try serializer.serialize(certificate)
          return try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der)
        }
        return .certificateVerified(VerificationMetadata(ValidatedCertificateChain(nioChain)))
      } catch {
        onRefusal(.malformedCertificate("\(error)"))
        return .failed
      }
    }
  }

  /// The callback for the transport's `customVerificationCallback`.
  public var callback:
    @Sendable ([NIOSSLCertificate], EventLoopPromise<NIOSSLVerificationResultWithMetadata>) -> Void
  {
    { presented, promise in
      Task { promise.succeed(await self.verify(presented)) }
    }
  }
}
