import ConfigFile
import Security
import Testing

/// `[security]` tables as TiKV's and PD's configuration files write them.
struct SecurityConfigTests {
  @Test func tikvKeys() throws {
    let file = try ConfigTable(
      toml: """
        [security]
        ca-path = "/etc/tls/ca.pem"
        cert-path = "/etc/tls/store.pem"
        key-path = "/etc/tls/store-key.pem"
        cert-allowed-cn = ["store", "scheduler"]
        """)
    var settings = SecuritySettings()
    try settings.load(try #require(try file.table("security")), dialect: .tikv)
    #expect(settings.caPath == "/etc/tls/ca.pem")
    #expect(settings.certPath == "/etc/tls/store.pem")
    #expect(settings.keyPath == "/etc/tls/store-key.pem")
    #expect(settings.allowedCommonNames == ["store", "scheduler"])
    #expect(settings.isEnabled)
    try file.rejectUnknownKeys()
  }

  @Test func pdKeysAndEmptyPaths() throws {
    let file = try ConfigTable(
      toml: """
        [security]
        cacert-path = ""
        cert-path = ""
        key-path = ""
        """)
    var settings = SecuritySettings(caPath: "/old/ca.pem")
    try settings.load(try #require(try file.table("security")), dialect: .pd)
    #expect(settings == SecuritySettings())
    #expect(!settings.isEnabled)
    try file.rejectUnknownKeys()
    // TiKV's key in a PD file is unknown there.
    let wrong = try ConfigTable(toml: "[security]\nca-path = \"/x\"")
    var pd = SecuritySettings()
    try pd.load(try #require(try wrong.table("security")), dialect: .pd)
    #expect(throws: ConfigError.self) { try wrong.rejectUnknownKeys() }
  }
}
