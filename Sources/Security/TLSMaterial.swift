import Foundation
import GRPCNIOTransportHTTP2
import NIOSSL
import X509

/// The CA, certificate chain and key of ``SecuritySettings``, read once and checked, and the
/// gRPC transport configurations made of them.
///
/// The files are read once into memory and the transports are given those bytes, so what was
/// checked is what is served.
public struct TLSMaterial: Sendable {
  /// The CA certificates, as PEM.
  public let caPEM: [UInt8]
  /// This process's certificate chain, leaf first, as PEM.
  public let certificatePEM: [UInt8]
  /// This process's private key, as PEM.
  public let keyPEM: [UInt8]
  /// The CA certificates, parsed.
  public let caCertificates: [Certificate]
  /// This process's leaf certificate, parsed.
  public let certificate: Certificate
  /// The names a peer must carry (`cert-allowed-cn`).
  public let allowList: CommonNameAllowList

  /// The material of `settings`, or `nil` when TLS is off (no path set).
  ///
  /// - Throws: ``SecuritySettingsError`` when only some paths are set, a file is missing,
  ///   unreadable or not PEM, or the key is not the certificate's; keys are named as `dialect`
  ///   spells them.
  public static func load(_ settings: SecuritySettings, dialect: SecuritySettings.Dialect) throws
    -> TLSMaterial?
  {
    let paths = settings.paths(in: dialect)
    let set = paths.filter { $0.path != nil }.map(\.key)
    if set.isEmpty { return nil }
    guard set.count == paths.count else {
      throw SecuritySettingsError.incomplete(
        set: set, missing: paths.filter { $0.path == nil }.map(\.key))
    }
    let (caKey, certKey, keyKey) = (dialect.caKey, dialect.certKey, dialect.keyKey)
    let caPath = settings.caPath!
    let certPath = settings.certPath!
    let keyPath = settings.keyPath!
    let caPEM = try read(caPath, key: caKey)
    let certificatePEM = try read(certPath, key: certKey)
    let keyPEM = try read(keyPath, key: keyKey)

    let caCertificates = try certificates(caPEM, key: caKey, path: caPath)
    let chain = try certificates(certificatePEM, key: certKey, path: certPath)
    do {
      _ = try NIOSSLPrivateKey(bytes: keyPEM, format: .pem)
    } catch {
      throw SecuritySettingsError.malformed(key: keyKey, path: keyPath, reason: "\(error)")
    }
    // swift-certificates reads PKCS#8, SEC1 and PKCS#1 keys; one it cannot read (but NIOSSL
    // can) is not checked against the certificate.
    if let privateKey = try? Certificate.PrivateKey(
      pemEncoded: String(decoding: keyPEM, as: UTF8.self)),
      privateKey.publicKey != chain[0].publicKey
    {
      throw SecuritySettingsError.keyDoesNotMatchCertificate(certPath: certPath, keyPath: keyPath)
    }
    return TLSMaterial(
      caPEM: caPEM, certificatePEM: certificatePEM, keyPEM: keyPEM,
      caCertificates: caCertificates, certificate: chain[0],
      allowList: CommonNameAllowList(settings.allowedCommonNames))
  }

  /// The bytes of the file at `path`.
  private static func read(_ path: String, key: String) throws -> [UInt8] {
    do {
      return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    } catch {
      let reason =
        FileManager.default.fileExists(atPath: path)
        ? "not readable (\((error as NSError).localizedDescription))" : "no such file"
      throw SecuritySettingsError.unreadable(key: key, path: path, reason: reason)
    }
  }

  /// The certificates of a PEM file, at least one.
  private static func certificates(_ pem: [UInt8], key: String, path: String) throws
    -> [Certificate]
  {
    do {
      let parsed = try NIOSSLCertificate.fromPEMBytes(pem).map {
        try Certificate(derEncoded: $0.toDERBytes())
      }
      guard !parsed.isEmpty else {
        throw SecuritySettingsError.malformed(key: key, path: path, reason: "no certificate")
      }
      return parsed
    } catch let error as SecuritySettingsError {
      throw error
    } catch {
      throw SecuritySettingsError.malformed(key: key, path: path, reason: "\(error)")
    }
  }
}
