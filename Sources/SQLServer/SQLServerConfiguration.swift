import Logging

/// Who a connection is, for the session made for it.
public struct ConnectionInfo: Sendable, Equatable {
  /// The id the greeting announced (MySQL's `CONNECTION_ID()`).
  public var connectionID: UInt32
  /// The user the client authenticated as.
  public var user: String
  /// The client's IP address (`"127.0.0.1"`), or `"unknown"`.
  public var clientAddress: String

  public init(connectionID: UInt32, user: String, clientAddress: String) {
    self.connectionID = connectionID
    self.user = user
    self.clientAddress = clientAddress
  }
}

/// How an ``SQLServer`` listens, whom it lets in, and what it serves them with.
public struct SQLServerConfiguration: Sendable {
  /// The address to listen on.
  public var host: String
  /// The port to listen on; 0 lets the system pick one (``SQLServer/port`` says which).
  public var port: Int
  /// The accounts, user to password (checked with `mysql_native_password`; an empty password
  /// is one the client must answer with an empty reply).
  public var users: [String: String]
  /// Makes the session of a connection once its client has authenticated; called from that
  /// connection's task.
  public var makeSession: @Sendable (ConnectionInfo) -> any SQLSession
  /// The version the greeting announces; clients read the leading `8.0.11` as MySQL's.
  public var serverVersion: String
  /// Connections served at once; one more is answered with error 1040 (Too many connections)
  /// and closed.
  public var maxConnections: Int
  /// The largest packet a client may send (MySQL's `max_allowed_packet`); a larger one is
  /// answered with error 1153 and the connection closed.
  public var maxPacketSize: Int
  /// How long a client has from connecting to finishing authentication before it is
  /// disconnected (MySQL's `connect_timeout`).
  public var handshakeTimeout: Duration
  /// Connects and disconnects at debug, protocol errors at warning.
  public var logger: Logger

  /// A configuration listening on `host:port` (127.0.0.1:4000 unless told), user `root` without
  /// a password, up to 1000 connections.
  public init(
    host: String = "127.0.0.1",
    port: Int = 4000,
    users: [String: String] = ["root": ""],
    serverVersion: String = "8.0.11-TinyKV-Swift",
    maxConnections: Int = 1000,
    maxPacketSize: Int = 64 << 20,
    handshakeTimeout: Duration = .seconds(10),
    logger: Logger = Logger(label: "tinysql.server"),
    makeSession: @escaping @Sendable (ConnectionInfo) -> any SQLSession
  ) {
    self.host = host
    self.port = port
    self.users = users
    self.makeSession = makeSession
    self.serverVersion = serverVersion
    self.maxConnections = maxConnections
    self.maxPacketSize = maxPacketSize
    self.handshakeTimeout = handshakeTimeout
    self.logger = logger
  }
}
