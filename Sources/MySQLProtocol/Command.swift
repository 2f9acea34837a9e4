/// A client's request after the handshake: the first byte of the packet says which.
public enum Command: Sendable, Equatable {
  case quit
  /// `USE db`.
  case initDB(String)
  /// A statement as text.
  case query(String)
  /// The columns of a table, for old clients' completion.
  case fieldList(table: String)
  case ping
  case prepare(String)
  /// Runs a prepared statement; its parameters are parsed with the statement's count.
  case execute(statementID: UInt32, payload: [UInt8])
  /// A piece of a parameter's value sent ahead of the execute (`COM_STMT_SEND_LONG_DATA`, no
  /// answer): the pieces are joined, and that parameter's value is left out of the execute.
  case sendLongData(statementID: UInt32, parameter: UInt16, data: [UInt8])
  case closeStatement(UInt32)
  case resetStatement(UInt32)
  /// `COM_SET_OPTION`: 0 turns multi-statements on, 1 off.
  case setOption(UInt16)
  /// `COM_RESET_CONNECTION`: a fresh session on the same connection, without a new handshake.
  case resetConnection
  /// A command this server does not serve, by its code.
  case unsupported(UInt8)

  /// Parses a command packet's payload.
  /// - Throws: `MySQLProtocolError` for an empty packet or one cut short.
  public init(parsing payload: [UInt8]) throws(MySQLProtocolError) {
    var reader = PayloadReader(payload)
    let code = try reader.int1()
    func text(_ bytes: [UInt8]) -> String { String(decoding: bytes, as: UTF8.self) }
    switch code {
    case 0x01: self = .quit
    case 0x02: self = .initDB(text(reader.rest()))
    case 0x03: self = .query(text(reader.rest()))
    case 0x04: self = .fieldList(table: text(try reader.nulTerminated()))
    case 0x0E: self = .ping
    case 0x16: self = .prepare(text(reader.rest()))
    case 0x17: self = .execute(statementID: try reader.int4(), payload: reader.rest())
    case 0x18:
      self = .sendLongData(
        statementID: try reader.int4(), parameter: try reader.int2(), data: reader.rest())
    case 0x19: self = .closeStatement(try reader.int4())
    case 0x1A: self = .resetStatement(try reader.int4())
    case 0x1B: self = .setOption(try reader.int2())
    case 0x1F: self = .resetConnection
    default: self = .unsupported(code)
    }
  }
}
