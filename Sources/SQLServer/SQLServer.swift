import Logging
import MySQLProtocol
import NIOCore
import NIOPosix
import Synchronization

/// A MySQL protocol server: accepts connections, authenticates them, and serves each one's
/// commands in a task of its own with an ``SQLSession`` from the configuration's factory, so a
/// slow statement holds up only its own connection.
///
/// ```swift
/// let server = SQLServer(configuration: SQLServerConfiguration(port: 0) { info in MySession(info) })
/// try await server.start()          // binds; server.port is now known
/// async let serving: Void = server.run()
/// ...
/// server.stop()                     // or cancel the task running run()
/// try await serving
/// ```
public final class SQLServer: Sendable {
  public let configuration: SQLServerConfiguration

  private typealias Listener = NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>

  private struct State {
    var listener: Listener?
    var stopped = false
  }

  private let state = Mutex(State())
  private let registry: ConnectionRegistry

  public init(configuration: SQLServerConfiguration) {
    self.configuration = configuration
    registry = ConnectionRegistry(limit: configuration.maxConnections)
  }

  /// The port the server listens on, once ``start()`` has bound it (the system's choice when
  /// the configuration asked for port 0); nil before.
  public var port: Int? {
    state.withLock { $0.listener?.channel.localAddress?.port }
  }

  /// How many connections are open (authenticating or authenticated).
  public var connectionCount: Int { registry.count }

  /// Binds the listening socket; connections queue until ``run()`` serves them. Does nothing
  /// when already bound.
  /// - Throws: the bind's failure (address in use, ...), or `CancellationError` after
  ///   ``stop()``.
  public func start() async throws {
    if state.withLock({ $0.listener != nil }) { return }
    let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(.backlog, value: 256)
      .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
      .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
      .bind(host: configuration.host, port: configuration.port) { child in
        child.eventLoop.makeCompletedFuture {
          try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: child)
        }
      }
    let kept = state.withLock { state -> Bool in
      guard state.listener == nil, !state.stopped else { return false }
      state.listener = listener
      return true
    }
    guard kept else {
      try? await listener.channel.close()
      if state.withLock({ $0.stopped }) { throw CancellationError() }
      return
    }
    configuration.logger.info(
      "SQL server listening",
      metadata: ["address": "\(listener.channel.localAddress.map { "\($0)" } ?? "?")"])
  }

  /// Serves connections (binding first if ``start()`` was not called) until ``stop()`` is
  /// called or the task is cancelled; returns once every connection has ended. Call it once.
  /// Cancelling its task stops the server as ``stop()`` does, but cancels the connections'
  /// tasks too, so a statement running then may end without its answer.
  public func run() async throws {
    try await start()
    guard let listener = state.withLock({ $0.listener }) else { throw CancellationError() }
    await withTaskCancellationHandler {
      await withDiscardingTaskGroup { group in
        do {
          try await listener.executeThenClose { connections in
            for try await connection in connections {
              group.addTask { await self.serve(connection) }
            }
          }
        } catch {
          configuration.logger.debug("the listener closed: \(error)")
        }
      }
    } onCancel: {
      stop()
    }
  }

  /// Stops accepting connections and ends the open ones: a connection waiting for its next
  /// command is closed at once, one running a command once that command is answered.
  /// ``run()`` returns when all have ended.
  public func stop() {
    let listener = state.withLock { state in
      state.stopped = true
      return state.listener
    }
    listener?.channel.close(promise: nil)
    registry.stop()
  }

  /// One connection, from the greeting to its close.
  private func serve(_ channel: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
    let id = registry.makeID()
    let peer = channel.channel.remoteAddress?.ipAddress ?? "unknown"
    var logger = configuration.logger
    logger[metadataKey: "connection"] = "\(id)"
    logger[metadataKey: "peer"] = "\(peer)"
    let admitted = registry.admit(id, channel: channel.channel)
    defer { if admitted { registry.remove(id) } }
    do {
      try await channel.executeThenClose { inbound, outbound in
        let packets = PacketChannel(
          inbound: inbound, outbound: outbound, maxPayload: configuration.maxPacketSize)
        guard admitted else {
          logger.warning("refused: too many connections (\(configuration.maxConnections))")
          try await ResultSetWriter(packets: packets, deprecateEOF: false).error(
            .tooManyConnections)
          try await packets.flush()
          return
        }
        logger.debug("connected")
        let connection = Connection(
          id: id, peer: peer, channel: channel.channel, packets: packets,
          configuration: configuration, registry: registry, logger: logger)
        await connection.run()
      }
    } catch {
      logger.debug("connection closed with \(error)")
    }
    if admitted { logger.debug("disconnected") }
  }
}
