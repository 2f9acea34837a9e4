/// The capability flags client and server exchange in the handshake (MySQL's `CLIENT_*`).
public struct Capabilities: OptionSet, Sendable, Hashable {
  public let rawValue: UInt32
  public init(rawValue: UInt32) { self.rawValue = rawValue }

  public static let longPassword = Capabilities(rawValue: 1 << 0)
  public static let foundRows = Capabilities(rawValue: 1 << 1)
  public static let longFlag = Capabilities(rawValue: 1 << 2)
  public static let connectWithDB = Capabilities(rawValue: 1 << 3)
  public static let noSchema = Capabilities(rawValue: 1 << 4)
  public static let protocol41 = Capabilities(rawValue: 1 << 9)
  public static let interactive = Capabilities(rawValue: 1 << 10)
  public static let ssl = Capabilities(rawValue: 1 << 11)
  public static let transactions = Capabilities(rawValue: 1 << 13)
  public static let secureConnection = Capabilities(rawValue: 1 << 15)
  public static let multiStatements = Capabilities(rawValue: 1 << 16)
  public static let multiResults = Capabilities(rawValue: 1 << 17)
  public static let psMultiResults = Capabilities(rawValue: 1 << 18)
  public static let pluginAuth = Capabilities(rawValue: 1 << 19)
  public static let connectAttributes = Capabilities(rawValue: 1 << 20)
  public static let pluginAuthLengthEncodedData = Capabilities(rawValue: 1 << 21)
  public static let deprecateEOF = Capabilities(rawValue: 1 << 24)

  /// What this server offers: protocol 4.1 with secure (scrambled) authentication, databases on
  /// connect, transactions, several statements in one `COM_QUERY` and their several results,
  /// plugin authentication, connection attributes; EOF packets replaced by OK packets when the
  /// client asks.
  public static let server: Capabilities = [
    .longPassword, .foundRows, .longFlag, .connectWithDB, .protocol41, .interactive,
    .transactions, .secureConnection, .multiStatements, .multiResults, .psMultiResults,
    .pluginAuth, .connectAttributes, .pluginAuthLengthEncodedData, .deprecateEOF,
  ]
}

/// The server status flags of OK and EOF packets (MySQL's `SERVER_STATUS_*`).
public struct ServerStatus: OptionSet, Sendable, Hashable {
  public let rawValue: UInt16
  public init(rawValue: UInt16) { self.rawValue = rawValue }

  public static let inTransaction = ServerStatus(rawValue: 1 << 0)
  public static let autocommit = ServerStatus(rawValue: 1 << 1)
  public static let moreResultsExist = ServerStatus(rawValue: 1 << 3)
}
