import MySQLProtocol
import Testing

/// The handshake: the server's greeting, the client's answer, and mysql_native_password.
struct HandshakeTests {
  private let scramble = (1...20).map(UInt8.init)

  @Test("the greeting: version 10, version string, id, the scramble in two parts, the plugin")
  func greeting() {
    let payload = ServerGreeting(connectionID: 7, scramble: scramble).payload
    var expected: [UInt8] = [10] + Array("8.0.11-TinyKV-Swift".utf8) + [0, 7, 0, 0, 0]
    expected += scramble.prefix(8) + [0]
    let capabilities = Capabilities.server.rawValue
    expected += [UInt8(capabilities & 0xFF), UInt8(capabilities >> 8 & 0xFF), 45, 0x02, 0x00]
    expected += [UInt8(capabilities >> 16 & 0xFF), UInt8(capabilities >> 24), 21]
    expected += [UInt8](repeating: 0, count: 10) + scramble.dropFirst(8) + [0]
    expected += Array("mysql_native_password".utf8) + [0]
    #expect(payload == expected)
  }

  @Test("the client's answer: user, scrambled password, database, plugin, attributes")
  func response() throws {
    let capabilities: Capabilities = [
      .protocol41, .secureConnection, .connectWithDB, .pluginAuth,
      .pluginAuthLengthEncodedData, .connectAttributes,
    ]
    var writer = PayloadWriter()
    writer.int4(capabilities.rawValue)
    writer.int4(1 << 24)
    writer.int1(45)
    writer.raw([UInt8](repeating: 0, count: 23))
    writer.nulTerminated("root")
    writer.lengthEncoded([UInt8](repeating: 9, count: 20))
    writer.nulTerminated("test")
    writer.nulTerminated("mysql_native_password")
    var attributes = PayloadWriter()
    attributes.lengthEncoded("_client_name")
    attributes.lengthEncoded("libmariadb")
    writer.lengthEncoded(attributes.bytes)
    let response = try HandshakeResponse(parsing: writer.bytes)
    #expect(response.user == "root")
    #expect(response.authResponse == [UInt8](repeating: 9, count: 20))
    #expect(response.database == "test")
    #expect(response.authPlugin == "mysql_native_password")
    #expect(response.attributes == ["_client_name": "libmariadb"])
    #expect(response.maxPacketSize == 1 << 24)

    var old = PayloadWriter()
    old.int4(Capabilities.longPassword.rawValue)
    #expect(throws: MySQLProtocolError.self) { try HandshakeResponse(parsing: old.bytes) }
    #expect(throws: MySQLProtocolError.self) {
      try HandshakeResponse(parsing: Array(writer.bytes.prefix(40)))
    }
  }

  @Test("mysql_native_password against values computed with Python's hashlib")
  func nativePassword() {
    // SHA1("secret") XOR SHA1(scramble + SHA1(SHA1("secret"))), scramble = 1...20.
    let answer = NativePassword.answer(password: "secret", scramble: scramble)
    #expect(hex(answer) == "b32bb3a583e1340c0a1108d58b1be49781ad8c2f")
    let stored = NativePassword.stored(password: "secret")
    #expect(stored.map(hex) == "14e65567abdb5135d0cfd9a70b3032c179a49ee7")
    #expect(NativePassword.verify(answer: answer, scramble: scramble, stored: stored))
    let wrong = NativePassword.answer(password: "Secret", scramble: scramble)
    #expect(!NativePassword.verify(answer: wrong, scramble: scramble, stored: stored))
    #expect(NativePassword.answer(password: "", scramble: scramble).isEmpty)
    #expect(NativePassword.verify(answer: [], scramble: scramble, stored: nil))
    #expect(!NativePassword.verify(answer: answer, scramble: scramble, stored: nil))
  }

  @Test("the auth switch request: 0xFE, the plugin, its data, a NUL")
  func authSwitch() {
    #expect(
      AuthSwitchRequest(data: scramble).payload
        == [0xFE] + Array("mysql_native_password".utf8) + [0] + scramble + [0])
  }

  private func hex(_ bytes: [UInt8]) -> String {
    bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
  }
}
