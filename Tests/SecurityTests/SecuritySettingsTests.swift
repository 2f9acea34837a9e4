import Foundation
import Security
import Testing

@Suite struct SecuritySettingsTests {
  @Test func noPathMeansPlainText() throws {
    #expect(!SecuritySettings().isEnabled)
    #expect(try TLSMaterial.load(SecuritySettings(), dialect: .tikv) == nil)
  }

  @Test func somePathsAreRefusedWithTheDialectsKeys() throws {
    let settings = SecuritySettings(caPath: "/ca.pem")
    #expect(!settings.isEnabled)
    #expect(
      throws: SecuritySettingsError.incomplete(
        set: ["ca-path"], missing: ["cert-path", "key-path"])
    ) {
      try TLSMaterial.load(settings, dialect: .tikv)
    }
    #expect(
      throws: SecuritySettingsError.incomplete(
        set: ["cacert-path"], missing: ["cert-path", "key-path"])
    ) {
      try TLSMaterial.load(settings, dialect: .pd)
    }
  }

  @Test func goodFilesLoad() async throws {
    try await withTemporaryFolder { folder in
      let ca = try TestCertificateAuthority()
      var settings = try ca.write(ca.issue(commonName: "store-1"), name: "store-1", to: folder)
      settings.allowedCommonNames = ["store-2"]
      #expect(settings.isEnabled)
      let material = try #require(try TLSMaterial.load(settings, dialect: .tikv))
      #expect(material.allowList == CommonNameAllowList(["store-2"]))
      #expect(CommonNameAllowList.names(of: material.certificate) == ["store-1", "localhost"])
    }
  }

  @Test func aMissingFileIsNamed() async throws {
    try await withTemporaryFolder { folder in
      let ca = try TestCertificateAuthority()
      var settings = try ca.write(ca.issue(commonName: "store-1"), name: "store-1", to: folder)
      settings.keyPath = folder.appendingPathComponent("nope.pem").path
      #expect(
        throws: SecuritySettingsError.unreadable(
          key: "key-path", path: settings.keyPath!, reason: "no such file")
      ) {
        try TLSMaterial.load(settings, dialect: .pd)
      }
    }
  }

  @Test func aFileThatIsNotPEMIsNamed() async throws {
    try await withTemporaryFolder { folder in
      let ca = try TestCertificateAuthority()
      let settings = try ca.write(ca.issue(commonName: "store-1"), name: "store-1", to: folder)
      try "not a certificate".write(toFile: settings.caPath!, atomically: true, encoding: .utf8)
      let error = #expect(throws: SecuritySettingsError.self) {
        try TLSMaterial.load(settings, dialect: .pd)
      }
      guard case .malformed(let key, let path, _) = error else {
        Issue.record("unexpected \(String(describing: error))")
        return
      }
      #expect(key == "cacert-path" && path == settings.caPath)
    }
  }

  @Test func aKeyOfAnotherCertificateIsRefused() async throws {
    try await withTemporaryFolder { folder in
      let ca = try TestCertificateAuthority()
      let settings = try ca.write(ca.issue(commonName: "store-1"), name: "store-1", to: folder)
      let other = try ca.write(ca.issue(commonName: "store-2"), name: "store-2", to: folder)
      var mixed = settings
      mixed.keyPath = other.keyPath
      #expect(
        throws: SecuritySettingsError.keyDoesNotMatchCertificate(
          certPath: settings.certPath!, keyPath: other.keyPath!)
      ) {
        try TLSMaterial.load(mixed, dialect: .tikv)
      }
    }
  }

  @Test func theAllowListReadsTheCommonNameAndDNSNames() throws {
    let ca = try TestCertificateAuthority()
    let leaf = try ca.issue(commonName: "store-1", dnsNames: ["tikv-1.example"]).certificate
    #expect(CommonNameAllowList([]).allows(leaf))
    #expect(CommonNameAllowList(["store-1"]).allows(leaf))
    #expect(CommonNameAllowList(["tikv-1.example"]).allows(leaf))
    #expect(!CommonNameAllowList(["store-2", "localhost"]).allows(leaf))
  }
}
