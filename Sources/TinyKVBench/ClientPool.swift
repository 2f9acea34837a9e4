import Client

/// Several connections to one store, so that load is not limited by one HTTP/2 connection.
struct ClientPool: Sendable {
  let clients: [RawKVClient]

  /// The client worker `worker` uses.
  func client(for worker: Int) -> RawKVClient { clients[worker % clients.count] }

  /// Opens `count` connections to `endpoint`, runs `body`, closes them.
  static func connect<T: Sendable>(
    to endpoint: HostAndPort, count: Int, _ body: (ClientPool) async throws -> T
  ) async throws -> T {
    try await open(endpoint, remaining: count, opened: [], body)
  }

  private static func open<T: Sendable>(
    _ endpoint: HostAndPort, remaining: Int, opened: [RawKVClient],
    _ body: (ClientPool) async throws -> T
  ) async throws -> T {
    if remaining == 0 { return try await body(ClientPool(clients: opened)) }
    return try await RawKVClient.connect(to: endpoint) { client in
      try await open(endpoint, remaining: remaining - 1, opened: opened + [client], body)
    }
  }
}
