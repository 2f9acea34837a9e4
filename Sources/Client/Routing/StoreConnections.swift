import GRPCCore
import GRPCNIOTransportHTTP2
import Synchronization
import TinyKVGRPC

/// The TinyKv service of one store, over its connection.
package typealias StoreStub = Tinykvpb_TinyKv.Client<HTTP2ClientTransport.Posix>

/// One HTTP/2 connection (a `GRPCClient`) per store address, opened on first use and kept for
/// the life of the pool; `shutdown()` closes them all.
///
/// A connection whose store goes away reconnects by itself (the transport's backoff); requests
/// meanwhile fail fast with `unavailable`, which the router answers by trying another peer.
/// Safe to share between tasks.
package final class StoreConnections: Sendable {
  private struct Connection {
    let client: GRPCClient<HTTP2ClientTransport.Posix>
    /// Runs the client's connections until it shuts down.
    let task: Task<Void, Never>
  }

  /// Open connections by address; `closed` once `shutdown()` began (no new ones then).
  private struct State {
    var connections: [HostAndPort: Connection] = [:]
    var closed = false
  }

  private let state = Mutex(State())

  /// An empty pool.
  package init() {}

  /// A TinyKv stub on the connection to `address`, opening it if needed.
  /// - Throws: `KVClientError.closed` after `shutdown()`.
  package func stub(for address: HostAndPort) throws -> StoreStub {
    let client = try state.withLock { state in
      guard !state.closed else { throw KVClientError.closed }
      if let open = state.connections[address] { return open.client }
      let client = GRPCClient(
        transport: try address.plaintextTransport(), interceptors: [DispatchMarkInterceptor()])
      let task = Task { _ = try? await client.runConnections() }
      state.connections[address] = Connection(client: client, task: task)
      return client
    }
    return Tinykvpb_TinyKv.Client(wrapping: client)
  }

  /// Runs `body` with a new pool, and shuts the pool down when `body` returns or throws.
  package static func with<Result: Sendable>(
    _ body: (StoreConnections) async throws -> Result
  ) async throws -> Result {
    let connections = StoreConnections()
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
    for connection in connections { connection.client.beginGracefulShutdown() }
    for connection in connections { await connection.task.value }
  }
}
