import Logging
import MySQLProtocol
import NIOCore

/// One client connection's state machine: the handshake (`Connection+Handshake.swift`), then
/// commands one at a time until the client quits, the connection breaks, a packet breaks the
/// protocol, or the server stops. Lives in its connection's task only.
final class Connection {
  let id: UInt32
  /// The client's IP address.
  let peer: String
  let channel: any Channel
  let packets: PacketChannel
  let configuration: SQLServerConfiguration
  let registry: ConnectionRegistry
  let logger: Logger

  /// What both sides offered in the handshake.
  var capabilities: Capabilities = []
  /// Set once the client has authenticated.
  var session: (any SQLSession)?
  /// Who the session was made for (kept for `COM_RESET_CONNECTION`).
  var info: ConnectionInfo?
  /// The database the handshake or `COM_INIT_DB` chose last.
  var database: String?
  /// The open prepared statements, by id.
  var statements: [UInt32: OpenStatement] = [:]

  /// A prepared statement as the server keeps it between executes.
  struct OpenStatement {
    var statement: PreparedStatement
    /// The parameter types of the last execute that sent them.
    var types: PreparedStatements.ParameterTypes?
    /// `COM_STMT_SEND_LONG_DATA` pieces for the next execute, by parameter.
    var longData: [Int: [UInt8]] = [:]
  }

  /// Why a connection ends with an error packet.
  enum Violation: Error {
    case packetTooLarge
    case badHandshake(String)
    case malformed(String)

    var failure: SQLFailure {
      switch self {
      case .packetTooLarge: .packetTooLarge
      case .badHandshake: .badHandshake
      case .malformed: .malformedPacket
      }
    }
  }

  init(
    id: UInt32, peer: String, channel: any Channel, packets: PacketChannel,
    configuration: SQLServerConfiguration, registry: ConnectionRegistry, logger: Logger
  ) {
    self.id = id
    self.peer = peer
    self.channel = channel
    self.packets = packets
    self.configuration = configuration
    self.registry = registry
    self.logger = logger
  }

  var writer: ResultSetWriter {
    ResultSetWriter(packets: packets, deprecateEOF: capabilities.contains(.deprecateEOF))
  }

  /// The session's status for an answer, with `SERVER_MORE_RESULTS_EXISTS` when another result
  /// follows.
  func status(more: Bool = false) -> ServerStatus {
    var status = session?.status ?? .autocommit
    if more { status.insert(.moreResultsExist) }
    return status
  }

  var warnings: UInt16 { session?.warningCount ?? 0 }

  /// Serves the connection to its end; the session, if any, is closed last.
  func run() async {
    do {
      if try await handshake() { try await serveCommands() }
    } catch let violation as Violation {
      logger.warning("protocol error, closing the connection: \(violation)")
      try? await writer.error(violation.failure)
      try? await packets.flush()
    } catch {
      logger.debug("connection error: \(error)")
    }
    if let session {
      self.session = nil
      await session.close()
    }
  }

  /// Reads the next packet.
  /// - Returns: nil once the client has closed the connection.
  /// - Throws: `Violation.packetTooLarge`; the channel's errors.
  func readPacket() async throws -> [UInt8]? {
    do {
      return try await packets.read()
    } catch is MySQLProtocolError {
      throw Violation.packetTooLarge
    }
  }

  /// The command loop: each command answered (and written) before the next is read.
  private func serveCommands() async throws {
    while let payload = try await readPacket() {
      let command: Command
      do {
        command = try Command(parsing: payload)
      } catch {
        throw Violation.malformed(error.description)
      }
      guard registry.beginCommand(id) else { return }
      let goOn = try await handle(command)
      try await packets.flush()
      guard registry.endCommand(id), goOn else { return }
    }
  }
}
