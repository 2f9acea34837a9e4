import Crypto
import Foundation
import SwiftASN1
import X509

/// Throwaway certificates, for tests and `tinykv-playground --tls`: a CA and the leaves it signs,
/// made with swift-certificates and P-256 keys (no `openssl`), written as PEM files.
///
/// Never for production: the keys are written unencrypted and the CA's key lives in memory.
public struct TestCertificateAuthority: Sendable {
  /// The CA's self-signed certificate.
  public let certificate: Certificate
  /// The CA's key.
  private let key: P256.Signing.PrivateKey

  /// A new CA named `commonName`, valid from an hour ago for `validity` seconds.
  public init(commonName: String = "TinyKV test CA", validity: TimeInterval = 86_400 * 365) throws {
    let key = P256.Signing.PrivateKey()
    let name = try DistinguishedName {
      OrganizationName("TinyKV")
      CommonName(commonName)
    }
    let now = Date()
    certificate = try Certificate(
      version: .v3, serialNumber: Certificate.SerialNumber(),
      publicKey: Certificate.PublicKey(key.publicKey),
      notValidBefore: now - 3600, notValidAfter: now + validity,
      issuer: name, subject: name, signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
        Critical(KeyUsage(keyCertSign: true, cRLSign: true))
        SubjectKeyIdentifier(hash: Certificate.PublicKey(key.publicKey))
      },
      issuerPrivateKey: Certificate.PrivateKey(key))
    self.key = key
  }

  /// A leaf certificate named `commonName` with DNS names `dnsNames` and IPv4 addresses
  /// `ipAddresses` as subject alternative names, valid from `notValidBefore` to `notValidAfter`
  /// (a past window makes an expired one), for both server and client authentication.
  public func issue(
    commonName: String, dnsNames: [String] = ["localhost"], ipAddresses: [String] = ["127.0.0.1"],
    notValidBefore: Date = Date() - 3600, notValidAfter: Date = Date() + 86_400
  ) throws -> TestCertificate {
    let key = P256.Signing.PrivateKey()
    let names =
      dnsNames.map { GeneralName.dnsName($0) }
      + ipAddresses.map { .ipAddress(ASN1OctetString(contentBytes: Self.ipv4Bytes($0)[...])) }
    let certificate = try Certificate(
      version: .v3, serialNumber: Certificate.SerialNumber(),
      publicKey: Certificate.PublicKey(key.publicKey),
      notValidBefore: notValidBefore, notValidAfter: notValidAfter,
      issuer: self.certificate.subject,
      subject: try DistinguishedName {
        OrganizationName("TinyKV")
        CommonName(commonName)
      },
      signatureAlgorithm: .ecdsaWithSHA256,
      extensions: try Certificate.Extensions {
        Critical(BasicConstraints.notCertificateAuthority)
        Critical(KeyUsage(digitalSignature: true))
        try ExtendedKeyUsage([.serverAuth, .clientAuth])
        SubjectAlternativeNames(names)
        AuthorityKeyIdentifier(
          keyIdentifier: try self.certificate.extensions.subjectKeyIdentifier?.keyIdentifier)
      },
      issuerPrivateKey: Certificate.PrivateKey(self.key))
    return TestCertificate(certificate: certificate, key: key)
  }

  /// Writes the CA as `ca.pem` and `leaf` as `<name>.pem` and `<name>-key.pem` into
  /// `directory` (made if missing), and returns settings naming the three files.
  public func write(_ leaf: TestCertificate, name: String, to directory: URL) throws
    -> SecuritySettings
  {
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    let ca = directory.appendingPathComponent("ca.pem")
    let cert = directory.appendingPathComponent("\(name).pem")
    let key = directory.appendingPathComponent("\(name)-key.pem")
    try certificate.serializeAsPEM().pemString.write(to: ca, atomically: true, encoding: .utf8)
    try leaf.certificatePEM.write(to: cert, atomically: true, encoding: .utf8)
    try leaf.key.pemRepresentation.write(to: key, atomically: true, encoding: .utf8)
    return SecuritySettings(caPath: ca.path, certPath: cert.path, keyPath: key.path)
  }

  /// The four bytes of a dotted IPv4 address (`0.0.0.0` if it is not one).
  private static func ipv4Bytes(_ address: String) -> [UInt8] {
    let parts = address.split(separator: ".").compactMap { UInt8($0) }
    return parts.count == 4 ? parts : [0, 0, 0, 0]
  }
}

/// A leaf certificate and its key, made by ``TestCertificateAuthority``.
public struct TestCertificate: Sendable {
  /// The certificate.
  public let certificate: Certificate
  /// Its key.
  public let key: P256.Signing.PrivateKey

  /// The certificate as PEM.
  public var certificatePEM: String {
    get throws { try certificate.serializeAsPEM().pemString }
  }
}
