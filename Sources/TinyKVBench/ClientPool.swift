import Client

/// Several connections to one store, so that load is not limited by one HTTP/2 connection.
///
/// Generic over the connection type: `RawKVClient` for the raw workloads, `GRPCTxnRPC` for the
/// transactional ones; `connect` is that type's scoped `connect(to:_:)`.
struct ClientPool<Connection: Sendable>: Sendable {
  let connections: [Connection]

  /// The connection worker `worker` uses.
  func connection(for worker: Int) -> Connection { connections[worker % connections.count] }

  /// Opens `count` connections to `endpoint` with `connect`, runs `body`, closes them.
  static func connect<T: Sendable>(
    to endpoint: HostAndPort, count: Int,
    with connect: @escaping (HostAndPort, (Connection) async throws -> T) async throws -> T,
    _ body: (ClientPool) async throws -> T
  ) async throws -> T {
    try await open(endpoint, remaining: count, opened: [], connect, body)
  }

  private static func open<T: Sendable>(
    _ endpoint: HostAndPort, remaining: Int, opened: [Connection],
    _ connect: @escaping (HostAndPort, (Connection) async throws -> T) async throws -> T,
    _ body: (ClientPool) async throws -> T
  ) async throws -> T {
    if remaining == 0 { return try await body(ClientPool(connections: opened)) }
    return try await connect(endpoint) { connection in
      try await open(
        endpoint, remaining: remaining - 1, opened: opened + [connection], connect, body)
    }
  }
}
