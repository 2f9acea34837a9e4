import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization

/// One HTTP/2 connection (a `GRPCClient`) per store address, opened on first use and kept for
/// the life of the pool, with a `BatchCommands` stream on it when `batched`; `shutdown()`
/// closes them all.
///
/// A connection whose store goes away reconnects by itself (the transport's backoff); requests
/// meanwhile fail fast with `unavailable`, which the router answers by trying another peer.
/// Safe to share between tasks.
package final class StoreConnections: Sendable {
  private struct Connection {
    let channel: StoreChannel
    /// Runs the client's connections until it shuts down.
    let task: Task<Void, Never>
  }

  /// Whether requests go on each store's batch stream.
  private let batched: Bool

  /// Open connections by address; `closed` once `shutdown()` began (no new ones then).
  private struct State {
    var connections: [HostAndPort: Connection] = [:]
    var closed = false
  }

  private let state = Mutex(State())

  /// An empty pool; `batched`: requests go on a `BatchCommands` stream per store.
  package init(batched: Bool = true) {
    self.batched = batched
  }

  /// The channel to the store at `address`, opening its connection if needed.
  /// - Throws: `KVClientError.closed` after `shutdown()`.
  package func channel(for address: HostAndPort) throws -> StoreChannel {
    try state.withLock { state in
      guard !state.closed else { throw KVClientError.closed }
      if let open = state.connections[address] { return open.channel }
      let client = GRPCClient(
        transport: try address.plaintextTransport(), interceptors: [DispatchMarkInterceptor()])
      let task = Task { _ = try? await client.runConnections() }
      let channel = StoreChannel(client: client, batch: batched ? BatchStream(client: client) : nil)
      state.connections[address] = Connection(channel: channel, task: task)
      return channel
    }
  }

  /// Runs `body` with a new pool, and shuts the pool down when `body` returns or throws.
  package static func with<Result: Sendable>(
    batched: Bool = true, _ body: (StoreConnections) async throws -> Result
  ) async throws -> Result {
    let connections = StoreConnections(batched: batched)
    do {
      let result = try await body(connections)
      await connections.shutdown()
      return result
    } catch {
      await connections.shutdown()
      throw error
    }
  }

  /// Closes every connection gracefully (in-flight requests finish) and waits until they are.
  package func shutdown() async {
    let connections = state.withLock { state in
      state.closed = true
      defer { state.connections = [:] }
      return Array(state.connections.values)
    }
    for connection in connections {
      connection.channel.batch?.close()
      connection.channel.client.beginGracefulShutdown()
    }
    for connection in connections { await connection.task.value }
  }
}
