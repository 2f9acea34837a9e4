/// The server's short answers: OK (a statement done), ERR (a statement failed) and EOF (the end
/// of column definitions or rows, for clients that did not ask for `deprecateEOF`).
public enum ResponsePacket {
  /// OK: affected rows, last insert id, status, warnings, an optional message. The message is
  /// length-encoded, as MySQL's server writes it (`net_send_ok`) and as MariaDB's client reads
  /// it whatever the capabilities; an empty one is left out.
  public static func ok(
    affectedRows: UInt64 = 0, lastInsertID: UInt64 = 0, status: ServerStatus,
    warnings: UInt16 = 0, info: String = "", header: UInt8 = 0x00
  ) -> [UInt8] {
    var writer = PayloadWriter()
    writer.int1(header)
    writer.lengthEncoded(affectedRows)
    writer.lengthEncoded(lastInsertID)
    writer.int2(status.rawValue)
    writer.int2(warnings)
    if !info.isEmpty { writer.lengthEncoded(info) }
    return writer.bytes
  }

  /// The OK packet that ends a result set in place of EOF (`deprecateEOF`): header 0xFE.
  public static func endOfRows(status: ServerStatus, warnings: UInt16 = 0) -> [UInt8] {
    ok(status: status, warnings: warnings, header: 0xFE)
  }

  /// ERR: MySQL's error code, its five-character SQLSTATE, and the message.
  public static func error(code: UInt16, sqlState: String, message: String) -> [UInt8] {
    var writer = PayloadWriter()
    writer.int1(0xFF)
    writer.int2(code)
    writer.int1(UInt8(ascii: "#"))
    let state = Array(sqlState.utf8.prefix(5))
    writer.raw(state + [UInt8](repeating: UInt8(ascii: "0"), count: 5 - state.count))
    writer.raw(Array(message.utf8))
    return writer.bytes
  }

  /// EOF: warnings and status.
  public static func eof(status: ServerStatus, warnings: UInt16 = 0) -> [UInt8] {
    var writer = PayloadWriter()
    writer.int1(0xFE)
    writer.int2(warnings)
    writer.int2(status.rawValue)
    return writer.bytes
  }
}
