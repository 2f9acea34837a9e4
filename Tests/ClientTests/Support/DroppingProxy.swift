import Client
import NIOCore
import NIOPosix
import Synchronization

/// A TCP relay in front of a store that can cut every connection through it at once, as a
/// crash or a network failure does: a client whose request already went out sees its stream
/// lost mid-call, which only a real transport can show.
final class DroppingProxy: Sendable {
  /// The port the relay listens on (127.0.0.1).
  let port: Int
  private let listener: any Channel
  private let connections: Connections

  /// The relayed connections, both sides of each.
  private final class Connections: Sendable {
    let channels = Mutex<[any Channel]>([])
  }

  private init(port: Int, listener: any Channel, connections: Connections) {
    self.port = port
    self.listener = listener
    self.connections = connections
  }

  /// Starts a relay to `target` (an IP address and port).
  static func start(to target: HostAndPort) async throws -> DroppingProxy {
    let target = try SocketAddress(ipAddress: target.host, port: target.port)
    let connections = Connections()
    let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
      .serverChannelOption(ChannelOptions.socketOption(.so_reuseaddr), value: 1)
      .childChannelInitializer { inbound in
        // The client's bytes are read only once this future succeeds: after the store's side
        // is connected and both relays are in place.
        ClientBootstrap(group: inbound.eventLoop)
          .channelInitializer { outbound in
            outbound.eventLoop.makeCompletedFuture {
              try outbound.pipeline.syncOperations.addHandler(Relay(to: inbound))
            }
          }
          .connect(to: target)
          .flatMapThrowing { outbound in
            try inbound.pipeline.syncOperations.addHandler(Relay(to: outbound))
            connections.channels.withLock { $0 += [inbound, outbound] }
          }
      }
      .bind(host: "127.0.0.1", port: 0).get()
    guard let port = listener.localAddress?.port else {
      throw FakeClusterError("the relay did not get a port")
    }
    return DroppingProxy(port: port, listener: listener, connections: connections)
  }

  /// Closes every connection relayed so far, both sides; new connections are relayed as before.
  func dropAll() {
    let channels = connections.channels.withLock { channels in
      defer { channels.removeAll() }
      return channels
    }
    for channel in channels { channel.close(promise: nil) }
  }

  /// Drops every connection and stops listening.
  func stop() async {
    dropAll()
    try? await listener.close()
  }
}

/// Writes whatever one side of a relayed connection reads to the other side, and closes the
/// other side when this one closes.
private final class Relay: ChannelInboundHandler {
  typealias InboundIn = ByteBuffer

  private let peer: any Channel

  init(to peer: any Channel) { self.peer = peer }

  func channelRead(context: ChannelHandlerContext, data: NIOAny) {
    peer.writeAndFlush(unwrapInboundIn(data), promise: nil)
  }

  func channelInactive(context: ChannelHandlerContext) {
    peer.close(promise: nil)
    context.fireChannelInactive()
  }
}
